import { STATUS_CODES } from 'node:http';
import {
  appRouter,
  type Context,
  createContextFactory,
  openApiDocument,
  type Services,
} from '@matchloop/api';
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import Fastify, { type FastifyError } from 'fastify';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { z } from 'zod';
import type { Logger } from '../logger';
import { VERSION } from '../version';
import { registerDashboard } from './dashboard';
import { parseQuery, registerInputReading } from './input-reading';
import { fastifyProtectionOptions, type ProtectionOptions, registerProtection } from './protection';
import { registerTrpcRoute } from './trpc-route';

export interface HttpServerOptions {
  services: Services;
  logger: Logger;
  protection: ProtectionOptions;
}

/** Load balancers' health checks and Prometheus' scrapes must not be turned away by the rate limit. */
const UNLIMITED_PATHS = ['/health', '/metrics'];

/**
 * trpc-to-openapi, to read numbers, booleans and dates from query strings, switches coercion on, in place and on
 * every REST call, for each such field it can reach in an object input. Those are the very schemas tRPC validates
 * with, and fields share them (every factor score is one schema), so a REST body could send "5", true or [] for
 * a number, and so could any tRPC call once REST had been called. Our query inputs coerce where they mean to
 * (`z.coerce`); every other field keeps to its type, its `coerce` pinned off.
 */
function keepInputsToTheirTypes(router: AnyRouter): void {
  const pending: unknown[] = Object.values(router._def.procedures).flatMap(
    (procedure) => (procedure as AnyProcedure)._def.inputs,
  );
  const seen = new Set<unknown>();
  for (let schema = pending.pop(); schema !== undefined; schema = pending.pop()) {
    if (seen.has(schema)) continue;
    seen.add(schema);
    if (schema instanceof z.ZodObject) pending.push(...Object.values(schema.shape));
    else if (schema instanceof z.ZodArray) pending.push(schema.element);
    else if (
      schema instanceof z.ZodOptional ||
      schema instanceof z.ZodNullable ||
      schema instanceof z.ZodDefault ||
      schema instanceof z.ZodPrefault
    ) {
      pending.push(schema.unwrap());
    } else if (
      (schema instanceof z.ZodNumber ||
        schema instanceof z.ZodBoolean ||
        schema instanceof z.ZodBigInt ||
        schema instanceof z.ZodDate) &&
      !schema.def.coerce
    ) {
      Object.defineProperty(schema.def, 'coerce', { get: () => false, set: () => {}, configurable: true });
    }
  }
}

/**
 * The HTTP face of Matchloop: tRPC at /trpc for the SDK, the same procedures as plain JSON REST at the
 * product's paths, the OpenAPI document describing them, /health for load balancers, /metrics for
 * Prometheus, and the operators' dashboard at /; every response protected as `protection` says.
 */
export async function createHttpServer({ services, logger, protection }: HttpServerOptions) {
  const app = Fastify({
    loggerInstance: logger,
    // Batched tRPC GETs put every procedure name in the path.
    routerOptions: { maxParamLength: 5000, querystringParser: parseQuery },
    ...fastifyProtectionOptions(protection),
  });
  // First, so that its hooks run before every other route's and plugin's.
  registerProtection(app, protection, UNLIMITED_PATHS);
  registerInputReading(app);
  // What fails outside a procedure (a body that cannot be read, a route's fault) is answered in one shape: a
  // client's mistake with what was wrong, a fault of ours with nothing of its details, which are logged.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(statusCode).send({
      statusCode,
      error: STATUS_CODES[statusCode],
      message: statusCode < 500 ? error.message : 'The server failed to answer; the failure has been logged',
    });
  });
  const createContext = createContextFactory(services);
  const contextFromRequest = ({
    req,
  }: {
    req: { headers: Record<string, string | string[] | undefined> };
  }): Context => {
    const header = req.headers.authorization;
    return createContext({ authorization: Array.isArray(header) ? header[0] : header });
  };

  // tRPC's own route, in a scope of its own that hands it JSON bodies as checked text.
  await app.register(async (trpc) =>
    registerTrpcRoute(trpc, {
      router: appRouter,
      createContext: (request) => contextFromRequest({ req: request }),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    }),
  );
  keepInputsToTheirTypes(appRouter);
  await app.register(fastifyTRPCOpenApiPlugin, {
    router: appRouter,
    createContext: contextFromRequest,
    onError({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: error.cause ?? error, path }, 'REST call failed');
    },
  });

  app.get('/openapi.json', (request) => openApiDocument(`${request.protocol}://${request.host}`, VERSION));
  app.get('/health', async (_request, reply) => {
    try {
      return await services.feedback.health();
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await services.metrics.exposition();
    return reply.type(contentType).send(body);
  });
  await registerDashboard(app);
  return app;
}
