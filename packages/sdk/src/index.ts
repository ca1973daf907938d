import type { AppRouter } from '@matchloop/api/router';
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
  InteractionRefusal,
  InteractionResult,
  InteractionType,
  OutcomeFigures,
  Preferences,
  Recommendation,
  RecordChoiceInput,
  RecordChoiceOutput,
  RecordInteractionInput,
  RecordInteractionOutput,
  RecordInteractionsInput,
  RecordInteractionsOutput,
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
export { TRPCClientError as MatchloopError } from '@trpc/client';
export { createMatchloopClient, type MatchloopClient, type MatchloopClientOptions } from './client';
export { localStorageOutboxStore, type WebStorage } from './local-storage-store';
export {
  type MatchloopOutbox,
  type MatchloopOutboxOptions,
  type OutboxChoice,
  type OutboxContents,
  type OutboxEvent,
  type OutboxInteraction,
  type OutboxStore,
  openMatchloopOutbox,
  type RejectedEvent,
} from './outbox';
export type { RetryOptions } from './retry';
