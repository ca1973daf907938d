import type { AppRouter } from '@matchloop/api/router';
import { createTRPCClient, type TRPCClient } from '@trpc/client';
import { idempotencyLink, type RetryOptions, retryLink, retryPolicy, withErrorPageStatus } from './retry';
import { httpTransport } from './transport';

export type MatchloopClient = TRPCClient<AppRouter>;

export interface MatchloopClientOptions {
  /** The server's base URL, e.g. `https://matchloop.example.com`; the client talks to `<url>/trpc`. */
  url: string;
  /** An API key. `ingest` is enough for the frontend; the matching service also needs `read`. */
  apiKey?: string;
  /** A fetch implementation, for runtimes without a global one or to add tracing. */
  fetch?: typeof globalThis.fetch;
  /**
   * How calls are retried after a network failure, a 5xx, 408 or 429; `false` tries each call once.
   * Writes are retried too: the client gives each one its id before the first attempt.
   */
  retry?: RetryOptions | false;
}

/**
 * A client typed end to end against the Matchloop API. A call made on its own is sent at once; calls
 * made together, in the same run of code as `Promise.all`'s are, travel in one HTTP request. Calls that
 * fail for want of an answer, a server failure or a rate limit are retried (see
 * `MatchloopClientOptions.retry`); a write sent without its `sessionId` or `eventId` gets one first, so
 * that its retries are stored once.
 *
 * ```ts
 * const matchloop = createMatchloopClient({ url: 'http://localhost:3000', apiKey });
 * const session = await matchloop.feedbackLearning.startSession.mutate({ customerId, candidates });
 * ```
 */
export function createMatchloopClient(options: MatchloopClientOptions): MatchloopClient {
  const retry = options.retry === false ? [] : [retryLink(retryPolicy(options.retry))];
  return createTRPCClient<AppRouter>({
    links: [
      idempotencyLink(),
      ...retry,
      ...httpTransport({
        url: options.url,
        authorization: options.apiKey ? `Bearer ${options.apiKey}` : undefined,
        fetch: withErrorPageStatus(options.fetch),
      }),
    ],
  });
}
