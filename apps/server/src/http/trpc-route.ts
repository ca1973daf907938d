import type { AnyRouter, inferRouterContext } from '@trpc/server';
import { type FetchHandlerRequestOptions, fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { type App, readTrpcBodies } from './input-reading';

export interface TrpcRouteOptions<Router extends AnyRouter> {
  readonly router: Router;
  readonly createContext: (request: FastifyRequest) => inferRouterContext<Router>;
  readonly onError?: FetchHandlerRequestOptions<Router>['onError'];
}

/** The signal of every request handed to tRPC: a call that has begun runs to its end (see `fetchRequestOf`). */
const NEVER_ABORTED = new AbortController().signal;

/**
 * The request as tRPC's fetch adapter reads it: its method, URL, headers and signal, and its body as text,
 * which is all tRPC reads of a request whose body is JSON, the only kind this scope accepts. Not a `Request`:
 * on Node 20 one costs a new abort signal and a web stream for its body, both tied to native handles that
 * young-generation collections carry along. Its signal never aborts: a call that has begun runs to its end
 * whether or not its caller still waits, as a write must for its retry to find it stored.
 */
function fetchRequestOf(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? '' : ((request.body as string | undefined) ?? '');
  const readByTrpc: Pick<Request, 'method' | 'url' | 'headers' | 'signal' | 'text'> = {
    method: request.method,
    url: `${request.protocol}://${request.host || 'localhost'}${request.url}`,
    headers,
    signal: NEVER_ABORTED,
    text: async () => body,
  };
  return readByTrpc as Request;
}

/**
 * Serves `router` at /trpc/:path in `scope`, which should be a scope of its own: JSON bodies are read there as
 * checked text, for tRPC to parse.
 */
export function registerTrpcRoute<Router extends AnyRouter, Logger extends FastifyBaseLogger>(
  scope: App<Logger>,
  { router, createContext, onError }: TrpcRouteOptions<Router>,
): void {
  readTrpcBodies(scope);
  scope.all('/trpc/:path', async (request, reply) => {
    const response = await fetchRequestHandler({
      endpoint: '/trpc',
      req: fetchRequestOf(request),
      router,
      createContext: () => createContext(request),
      ...(onError && { onError }),
    });
    reply.status(response.status);
    for (const [name, value] of response.headers) {
      // Earlier hooks may have named what the answer varies by (the Origin): tRPC's Vary joins theirs.
      reply.header(
        name,
        name === 'vary' ? [reply.getHeader('vary'), value].filter(Boolean).join(', ') : value,
      );
    }
    // Every answer here is one JSON text. Sent as a string, not as the Response's stream, it spares Fastify
    // reading a web stream: on Node 20 that costs tens of µs a request and keeps the reply alive past the
    // young generation's collections.
    return reply.send(await response.text());
  });
}
