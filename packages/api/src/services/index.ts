import type { Database } from '@matchloop/db';
import { DEFAULT_LEARNING_CONFIG, type LearningConfig } from '@matchloop/learning';
import { analytics } from './analytics';
import { apiKeyService } from './api-keys';
import type { Services } from './contract';
import { recordChoice } from './choices';
import { health } from './health';
import { recordInteraction } from './interactions';
import { Learning } from './learning';
import { startSession } from './sessions';
import { servedWeights } from './weights';

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

export type { CreatedApiKey, Services } from './contract';
