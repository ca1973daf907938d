import type { ApiKeyScope, InputIssue } from '@matchloop/schemas';
import { transformer } from '@matchloop/schemas/transformer';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Context, Principal } from './context';

/**
 * Procedure metadata: where the REST mirror serves a procedure, in the shape trpc-to-openapi reads.
 * Declared here rather than imported, so the router's published type depends on nothing but tRPC.
 */
export type Meta = {
  openapi?: {
    method: 'GET' | 'POST';
    path: `/${string}`;
    summary?: string;
    tags?: string[];
    /** Whether the route needs `Authorization: Bearer <key>`. */
    protect?: boolean;
  };
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    // Error responses carry the zod issues of bad input and never a stack trace or internals.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zodIssues: InputIssue[] | undefined =
        error.cause instanceof ZodError
          ? error.cause.issues.map(({ code, path, message }) => ({
              code,
              path: path.map((key) => (typeof key === 'number' ? key : String(key))),
              message,
            }))
          : undefined;
      // A fault of ours is logged where it happens; its message (a query, a file path) is not the caller's.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : shape.message;
      return { ...shape, message, data: { ...shape.data, stack: undefined, zodIssues } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Runs a call of the procedure at `path` and times it for the metrics, whatever its outcome: over tRPC and
 * REST alike, including calls refused for bad input or for their key.
 */
async function timed<Result extends { ok: true } | { ok: false; error: TRPCError }>(
  ctx: Context,
  path: string,
  call: () => Promise<Result>,
): Promise<Result> {
  const started = performance.now();
  let outcome = 'INTERNAL_SERVER_ERROR';
  try {
    const result = await call();
    outcome = result.ok ? 'ok' : result.error.code;
    return result;
  } catch (error) {
    if (error instanceof TRPCError) outcome = error.code;
    throw error;
  } finally {
    ctx.services.metrics.observeProcedure(path, (performance.now() - started) / 1000, outcome);
  }
}

export const publicProcedure = t.procedure.use(({ ctx, path, next }) => timed(ctx, path, () => next()));

/**
 * Procedures that need an API key holding `scope` (or `admin`, which may do everything). Timing and the key's
 * check are one middleware, not two: tRPC copies a call's options once for each.
 */
export function scopedProcedure(scope: ApiKeyScope) {
  return t.procedure.use(({ ctx, path, next }) =>
    timed(ctx, path, async () => next({ ctx: { principal: await principalHolding(ctx, scope) } })),
  );
}

async function principalHolding(ctx: Context, scope: ApiKeyScope): Promise<Principal> {
  const principal = await ctx.keyHolder();
  if (principal === undefined) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'An API key is required: Authorization: Bearer <key>',
    });
  }
  if (principal === null)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'The API key is unknown or revoked' });
  if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin')) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `This API key lacks the "${scope}" scope` });
  }
  return principal;
}

/** A key restricted to one customer may open sessions for that customer only. */
export function assertActsFor(principal: Principal, customerId: string): void {
  if (principal.customerId !== null && principal.customerId !== customerId) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This API key acts for another customer' });
  }
}
