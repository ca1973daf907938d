import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** Connections are kept open between requests, as fetch's own pool keeps them. */
const agent = new Agent({ keepAlive: true });

/** What tRPC's links and the SDK read of an answer: no stream, the body already read whole. */
type ReadAnswer = Pick<Response, 'ok' | 'status' | 'statusText' | 'headers' | 'body' | 'json' | 'text'>;

/**
 * `fetch` over node:http, for the open loops' clients. Node 20's fetch gives every request an abort signal
 * and web streams that outlive young-generation collections: at 200 requests/s the load generator's heap
 * grew by some 90 MB between full collections, and its collections, sharing the server's two cores, made
 * the largest part of the slow requests counted against the server. An answer built as a `Response` reads
 * its body through web streams again, and gave most of that back (recordChoice's p99 23.8 ms against 17.1,
 * medians of six alternated runs), so this one answers with only what is read of a Response.
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
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = answer.statusCode ?? 0;
          const read: ReadAnswer = {
            ok: status >= 200 && status < 300,
            status,
            statusText: answer.statusMessage ?? '',
            headers: new Headers(responseHeaders(answer.headers)),
            body: null,
            json: async () => JSON.parse(text),
            text: async () => text,
          };
          resolve(read as Response);
        });
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
