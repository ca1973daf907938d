import type { Database } from '@matchloop/db';
import { DEFAULT_LEARNING_CONFIG, type LearningConfig } from '@matchloop/learning';
import type {
  AnalyticsInput,
  AnalyticsOutput,
  ApiKeyScope,
  HealthOutput,
  RecordChoiceInput,
  RecordChoiceOutput,
  RecordInteractionInput,
  RecordInteractionOutput,
  StartSessionOutput,
  StartSessionRequest,
  WeightsInput,
  WeightsOutput,
} from '@matchloop/schemas';
import type { Principal } from '../context';
import { analytics } from './analytics';
import { apiKeyService } from './api-keys';
import { recordChoice } from './choices';
import { health } from './health';
import { recordInteraction } from './interactions';
import { Learning } from './learning';
import { startSession } from './sessions';
import { servedWeights } from './weights';

/**
 * What the procedures can ask of the service. Declared in terms of the contract only, so the router's
 * type, which the SDK publishes, carries no storage types.
 */
export interface Services {
  readonly feedback: {
    startSession(input: StartSessionRequest): Promise<StartSessionOutput>;
    recordChoice(input: RecordChoiceInput): Promise<RecordChoiceOutput>;
    recordInteraction(input: RecordInteractionInput): Promise<RecordInteractionOutput>;
    analytics(input: AnalyticsInput): Promise<AnalyticsOutput>;
    weights(input: WeightsInput): Promise<WeightsOutput>;
    health(): Promise<HealthOutput>;
  };
  readonly apiKeys: {
    authenticate(secret: string): Promise<Principal | null>;
    create(input: { name: string; scopes: ApiKeyScope[] }): Promise<CreatedApiKey>;
    /** Makes sure a key with this exact secret exists (for MATCHLOOP_BOOTSTRAP_ADMIN_KEY); true if it was created. */
    ensure(input: { secret: string; name: string; scopes: ApiKeyScope[] }): Promise<boolean>;
  };
}

export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The secret itself: shown once, never stored. */
  readonly key: string;
}

export interface ServiceDependencies {
  readonly database: Database;
  readonly learning: Learning;
  /** The running release, reported by health. */
  readonly version: string;
  readonly startedAt: Date;
}

export interface ServiceOptions {
  readonly version: string;
  readonly learningConfig?: LearningConfig;
}

/** Builds the services over a migrated database, with the learner caught up on the choice log. */
export async function openServices(database: Database, options: ServiceOptions): Promise<Services> {
  const learning = new Learning(options.learningConfig ?? DEFAULT_LEARNING_CONFIG);
  await learning.catchUp(database.prisma);
  const deps: ServiceDependencies = { database, learning, version: options.version, startedAt: new Date() };
  return {
    feedback: {
      startSession: (input) => startSession(deps, input),
      recordChoice: (input) => recordChoice(deps, input),
      recordInteraction: (input) => recordInteraction(deps, input),
      analytics: (input) => analytics(deps, input),
      weights: ({ segment }) => servedWeights(deps, segment),
      health: () => health(deps),
    },
    apiKeys: apiKeyService(database),
  };
}
