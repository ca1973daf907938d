import type { AppRouter } from '@matchloop/api/router';
import { transformer } from '@matchloop/schemas/transformer';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type {
  Alert,
  AlertsInput,
  AlertsOutput,
  AnalyticsInput,
  AnalyticsOutput,
  ApiKeyScope,
  Candidate,
  Complexity,
  Explanation,
  Factor,
  FactorScores,
  FactorWeights,
  InputIssue,
  Insight,
  InteractionType,
  OutcomeFigures,
  Preferences,
  Recommendation,
  RecordChoiceInput,
  RecordChoiceOutput,
  RecordInteractionInput,
  RecordInteractionOutput,
  Segment,
  SegmentSource,
  StartSessionInput,
  StartSessionOutput,
  StatedVsRevealed,
  WeightsOutput,
  WeightsSource,
} from '@matchloop/schemas';
export type { AppRouter };
export type MatchloopInputs = inferRouterInputs<AppRouter>;
export type MatchloopOutputs = inferRouterOutputs<AppRouter>;
export type MatchloopClient = TRPCClient<AppRouter>;
export { TRPCClientError as MatchloopError } from '@trpc/client';

const MAX_BATCH_URL_LENGTH = 4000;
const MAX_BATCH_ITEMS = 50;

export interface MatchloopClientOptions {
  /** The server's base URL, e.g. `https://matchloop.example.com`; the client talks to `<url>/trpc`. */
  url: string;
  /** An API key. `ingest` is enough for the frontend; the matching service also needs `read`. */
  apiKey?: string;
  /** A fetch implementation, for runtimes without a global one or to add tracing. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A client typed end to end against the Matchloop API. Calls made in the same tick travel in one
 * HTTP request.
 *
 * ```ts
 * const matchloop = createMatchloopClient({ url: 'http://localhost:3000', apiKey });
 * const session = await matchloop.feedbackLearning.startSession.mutate({ customerId, candidates });
 * ```
 */
export function createMatchloopClient(options: MatchloopClientOptions): MatchloopClient {
  const authorization = options.apiKey ? `Bearer ${options.apiKey}` : undefined;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, '')}/trpc`,
        transformer,
        // A batch names every procedure in its URL; bounded batches keep that URL within what servers accept.
        maxURLLength: MAX_BATCH_URL_LENGTH,
        maxItems: MAX_BATCH_ITEMS,
        headers: () => (authorization ? { authorization } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
