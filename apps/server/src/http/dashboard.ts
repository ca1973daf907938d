import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';

/** The built dashboard, found through its package so that it resolves wherever pnpm installed it. */
export function dashboardDistDirectory(): string {
  const packageJson = createRequire(import.meta.url).resolve('@matchloop/dashboard/package.json');
  return join(dirname(packageJson), 'dist');
}

/**
 * Serves the operators' dashboard at `/`. Every built file gets its own route, because the REST mirror
 * already owns the catch-all `/*`; for the same reason, a browser navigating to any other unknown path
 * is answered here with the dashboard's page (the SPA fallback), while API clients keep their JSON 404.
 * A server whose dashboard was never built still starts, and `/` tells the operator how to build it.
 */
export async function registerDashboard<Logger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>,
  distDirectory: string = dashboardDistDirectory(),
): Promise<void> {
  if (!existsSync(join(distDirectory, 'index.html'))) {
    app.get('/', (_request, reply) => reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
    return;
  }

  const assetsDirectory = join(distDirectory, 'assets');
  await app.register(fastifyStatic, {
    root: distDirectory,
    wildcard: false,
    cacheControl: false,
    setHeaders(reply, path) {
      // Vite puts a content hash in every asset's name, so an asset never changes; the page must be
      // revalidated so that a new build's page (naming new assets) is picked up at once.
      reply.header(
        'cache-control',
        path.startsWith(assetsDirectory) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    // `/*` is the REST mirror's catch-all: a GET reaching it matched no file and no other route.
    const unknownPath = request.routeOptions.url === '/*' && !request.url.startsWith(REST_MIRROR_PREFIX);
    if (request.method === 'GET' && unknownPath && wantsPage(request.headers.accept)) {
      return reply.sendFile('index.html');
    }
  });
}

/** Every REST path lives under it; opened in a browser, they must still answer their JSON. */
const REST_MIRROR_PREFIX = '/feedback-learning/';

/** A browser navigating asks for HTML first; API clients ask for JSON or anything. */
function wantsPage(accept: string | undefined): boolean {
  return accept?.split(',')[0]?.trim().startsWith('text/html') ?? false;
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Matchloop: dashboard not built</title></head>
  <body>
    <h1>The dashboard has not been built</h1>
    <p>The API is running, but this server has no dashboard to show. Build it, then restart the server:</p>
    <pre>pnpm --filter @matchloop/dashboard build</pre>
    <p><code>pnpm start</code> builds everything before it starts the server.</p>
  </body>
</html>
`;
