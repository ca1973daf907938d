import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** Connections are kept open between requests, as fetch's own pool keeps them. */
const agent = new Agent({ keepAlive: true });

/**
 * `fetch` over node:http, for the open loops' clients. Node 20's fetch gives every request an abort signal
 * and web streams that outlive young-generation collections: at 200 requests/s the load generator's heap
 * grew by some 90 MB between full collections, and its collections, sharing the server's two cores, made
 * the largest part of the slow requests counted against the server. This one sends the string body tRPC's
 * links send and answers with the whole body read, which is all they read of an answer.
 */
export const nodeHttpFetch: typeof globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  const body = init?.body ?? undefined;
  if (body !== undefined && typeof body !== 'string') {
    return Promise.reject(new TypeError('nodeHttpFetch sends string bodies only, as tRPC links send them'));
  }
  const headers = Object.fromEntries(new Headers(init?.headers));
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init?.method,
        headers,
        agent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve(
            // A body-less status (204, 304) refuses any body, even an empty one.
            new Response(chunks.length > 0 ? Buffer.concat(chunks) : null, {
              status: answer.statusCode,
              statusText: answer.statusMessage,
              headers: responseHeaders(answer.headers),
            }),
          ),
        );
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
};

function responseHeaders(headers: IncomingHttpHeaders): [string, string][] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined
      ? []
      : Array.isArray(value)
        ? value.map((one): [string, string] => [name, one])
        : [[name, value]],
  );
}
