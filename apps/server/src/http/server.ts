import {
  type AppRouter,
  appRouter,
  type Context,
  createContextFactory,
  openApiDocument,
  type Services,
} from '@matchloop/api';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify from 'fastify';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import type { Logger } from '../logger';
import { VERSION } from '../version';
import { registerDashboard } from './dashboard';
import { fastifyLimits, type ProtectionOptions, registerProtection } from './protection';

export interface HttpServerOptions {
  services: Services;
  logger: Logger;
  protection: ProtectionOptions;
}

/** Load balancers' health checks and Prometheus' scrapes must not be turned away by the rate limit. */
const UNLIMITED_PATHS = ['/health', '/metrics'];

/**
 * The HTTP face of Matchloop: tRPC at /trpc for the SDK, the same procedures as plain JSON REST at the
 * product's paths, the OpenAPI document describing them, /health for load balancers, /metrics for
 * Prometheus, and the operators' dashboard at /; every response protected as `protection` says.
 */
export async function createHttpServer({ services, logger, protection }: HttpServerOptions) {
  const app = Fastify({
    loggerInstance: logger,
    // Batched tRPC GETs put every procedure name in the path.
    routerOptions: { maxParamLength: 5000 },
    ...fastifyLimits(protection),
  });
  // First, so that its hooks run before every other route's and plugin's.
  registerProtection(app, protection, UNLIMITED_PATHS);
  const createContext = createContextFactory(services);
  const contextFromRequest = ({
    req,
  }: {
    req: { headers: Record<string, string | string[] | undefined> };
  }): Context => {
    const header = req.headers.authorization;
    return createContext({ authorization: Array.isArray(header) ? header[0] : header });
  };

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: contextFromRequest,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
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
