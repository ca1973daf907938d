import { createServer, request as forwardRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What can go wrong between a client and Matchloop, as a proxy in front of it can make it go wrong. */
export type Fault =
  /** The connection drops before the request reaches the server. */
  | { readonly kind: 'reset' }
  /** The server handles the request, and its answer is lost on the way back. */
  | { readonly kind: 'lost-answer' }
  /** The proxy answers with an error page of its own, as a load balancer does when no server is up. */
  | { readonly kind: 'error-page'; readonly status: number; readonly retryAfter?: string };

export interface ProxiedRequest {
  /** The path and query, e.g. `/trpc/feedbackLearning.weights?input=…`. */
  readonly path: string;
  readonly body: string;
  readonly fault: Fault['kind'] | null;
  /** The procedures the request calls, in order, e.g. `feedbackLearning.weights`. */
  readonly procedures: readonly string[];
  /** Whether its calls travel as one tRPC batch, however many it holds. */
  readonly batched: boolean;
  /** Each call's input as sent (the JSON part of superjson's encoding), in the order of `procedures`. */
  readonly inputs: readonly unknown[];
}

export interface FaultInjectingProxy {
  readonly url: string;
  /** Every request that reached the proxy, in order. */
  readonly requests: ProxiedRequest[];
  /** Faults for the next requests, one each, in order; later requests are forwarded. */
  inject(...faults: Fault[]): void;
  /** A fault for every request from now until `restore()`: an outage. */
  breakDown(fault: Fault): void;
  restore(): void;
  close(): Promise<void>;
}

/** A real HTTP proxy in front of a real server, which fails requests as told and forwards the others. */
export async function startFaultInjectingProxy(target: string): Promise<FaultInjectingProxy> {
  const requests: ProxiedRequest[] = [];
  const nextFaults: Fault[] = [];
  let outage: Fault | null = null;

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const fault = nextFaults.shift() ?? outage;
    requests.push({ ...trpcCalls(request.url ?? '/', body), fault: fault?.kind ?? null });
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'error-page') {
      response.writeHead(fault.status, {
        'content-type': 'text/html',
        ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }),
      });
      response.end(`<html><body><h1>${fault.status}</h1></body></html>`);
      return;
    }
    const upstream = forwardRequest(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: request.headers },
      (answer) => {
        if (fault?.kind === 'lost-answer') {
          answer.resume();
          answer.once('end', () => request.socket.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.once('error', () => request.socket.destroy());
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (...faults) => nextFaults.push(...faults),
    breakDown: (fault) => {
      outage = fault;
    },
    restore: () => {
      outage = null;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The tRPC calls a request carries: a batch's numbered inputs, or one call's input, in its body or query.
 * A request that is not tRPC's is recorded with no inputs, and forwarded all the same.
 */
function trpcCalls(path: string, body: string): Omit<ProxiedRequest, 'fault'> {
  const url = new URL(path, 'http://proxy');
  const procedures = url.pathname.replace(/^\/trpc\//, '').split(',');
  const batched = url.searchParams.get('batch') === '1';
  type Encoded = { json?: unknown } | undefined;
  let inputs: unknown[] = [];
  try {
    const encoded = body || url.searchParams.get('input');
    const parsed = encoded ? (JSON.parse(encoded) as unknown) : undefined;
    const calls = batched
      ? procedures.map((_, index) => (parsed as Record<string, Encoded>)[index])
      : [parsed];
    inputs = calls.map((call) => (call as Encoded)?.json);
  } catch {
    // Not JSON: not a request of the SDK's.
  }
  return { path, body, procedures, batched, inputs };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
