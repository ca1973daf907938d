import type { Database } from '@matchloop/db';
import { DEFAULT_INSIGHT_OPTIONS, DEFAULT_LEARNING_CONFIG, type InsightOptions } from '@matchloop/learning';
import { createMetrics, type Metrics, metricsService } from '../metrics';
import { AlertMonitor, type AlertOptions, DEFAULT_ALERT_OPTIONS } from './alerts';
import { analytics } from './analytics';
import { apiKeyService } from './api-keys';
import { ChoiceRecorder } from './choices';
import type { ServiceLogger, Services } from './contract';
import { health } from './health';
import { InteractionRecorder } from './interactions';
import { Learning, type LearningOptions } from './learning';
import { CheckpointWriter } from './learning-checkpoints';
import { RecentChoices } from './recent-choices';
import { RollupFolder } from './rollup-folding';
import { SessionStarter } from './sessions';
import { ShownSessions } from './shown-sessions';
import { servedWeights } from './weights';

export interface ServiceDependencies {
  readonly database: Database;
  readonly learning: Learning;
  readonly metrics: Metrics;
  /** The running release, reported by health. */
  readonly version: string;
  readonly startedAt: Date;
}

export interface ServiceOptions {
  readonly version: string;
  readonly learning?: Partial<LearningOptions>;
  readonly alerts?: Partial<AlertOptions>;
  readonly insights?: Partial<InsightOptions>;
  /**
   * Where the services report what they do outside any request — alerts raised, resolved and not delivered,
   * learning checkpoints not stored — nowhere if not given.
   */
  readonly logger?: ServiceLogger;
}

export const DEFAULT_CHECKPOINT_INTERVAL = 1000;

/** Builds the services over a migrated database, with the learner caught up on the choice log. */
export async function openServices(database: Database, options: ServiceOptions): Promise<Services> {
  const changes = await database.changes();
  const learnerOptions = learningOptions(options.learning);
  const learning = await Learning.open(database.prisma, learnerOptions, changes);
  const logger = options.logger ?? SILENT;
  const deps: ServiceDependencies = {
    database,
    learning,
    metrics: createMetrics(),
    version: options.version,
    startedAt: new Date(),
  };
  const alerts = new AlertMonitor(deps, { ...DEFAULT_ALERT_OPTIONS, ...options.alerts }, logger);
  const insights = { ...DEFAULT_INSIGHT_OPTIONS, ...options.insights };
  const shownSessions = new ShownSessions();
  const recentChoices = new RecentChoices(changes);
  const sessions = new SessionStarter(deps, shownSessions, recentChoices);
  const checkpoints = new CheckpointWriter(database.prisma, learnerOptions.config, logger);
  const choices = new ChoiceRecorder(deps, shownSessions, recentChoices, checkpoints);
  const interactions = new InteractionRecorder(deps, shownSessions);
  return {
    feedback: {
      startSession: (input) => sessions.start(input),
      recordChoice: (input, actingFor) => choices.record(input, actingFor),
      recordInteraction: (input, actingFor) => interactions.record(input, actingFor),
      recordInteractions: (input, actingFor) => interactions.recordAll(input, actingFor),
      analytics: (input) => analytics(deps, input, { alerts, insights }),
      alerts: (input) => alerts.list(input),
      weights: (input) => servedWeights(deps, input),
      health: () => health(deps),
    },
    apiKeys: apiKeyService(database, changes),
    metrics: metricsService(deps),
    alertMonitor: alerts,
    rollupFolder: new RollupFolder(deps, logger),
    checkpoints: { stored: () => checkpoints.stored() },
  };
}

const SILENT: ServiceLogger = { info() {}, warn() {}, error() {} };

export function learningOptions(overrides: Partial<LearningOptions> = {}): LearningOptions {
  return {
    config: overrides.config ?? DEFAULT_LEARNING_CONFIG,
    checkpointInterval: overrides.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL,
  };
}

export type { AlertOptions } from './alerts';
export { DEFAULT_WEBHOOK_RETRY, type WebhookOptions } from './alerts-webhook';
export type { CreatedApiKey, Services } from './contract';
export type { LearningOptions } from './learning';
