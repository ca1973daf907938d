import type { ApiKeyScope } from '@matchloop/schemas';
import { transformer } from '@matchloop/schemas/transformer';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { Context, Principal } from './context';

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer,
    // Error responses carry the zod issues of bad input and never a stack trace or internals.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zodIssues = error.cause instanceof ZodError ? error.cause.issues : undefined;
      return { ...shape, data: { ...shape.data, stack: undefined, zodIssues } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Procedures that need an API key holding `scope` (or `admin`, which may do everything). */
export function scopedProcedure(scope: ApiKeyScope) {
  return t.procedure.use(async ({ ctx, next }) => {
    const secret = ctx.authorization?.match(BEARER)?.[1];
    if (!secret) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'An API key is required: Authorization: Bearer <key>',
      });
    }
    const principal = await ctx.services.apiKeys.authenticate(secret);
    if (!principal)
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'The API key is unknown or revoked' });
    if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin')) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This API key lacks the "${scope}" scope` });
    }
    return next({ ctx: { principal } satisfies { principal: Principal } });
  });
}
