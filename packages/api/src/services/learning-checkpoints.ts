import { insertLearningSnapshot, type LearningSnapshotRow, type PrismaClient } from '@matchloop/db';
import {
  estimateScope,
  fromSnapshot,
  LEARNER_SNAPSHOT_FORMAT,
  type LearnerSnapshot,
  type LearnerState,
  type LearningConfig,
  learnerModelSpec,
  type ScopeSnapshot,
  serveWeights,
  toFactorScores,
  toSnapshot,
} from '@matchloop/learning';
import { SEGMENTS, type Segment } from '@matchloop/schemas';
import type { ServiceLogger } from './contract';

/** The learner as it stood right after the choice logged at `choiceSequence`. */
export interface LearnerCheckpoint {
  readonly state: LearnerState;
  readonly choiceSequence: bigint;
}

/**
 * A checkpoint of the learner as LearningWeights rows, one per scope, all at the same version. Any
 * version can be rebuilt exactly by replaying the log, so checkpoints are only taken every so many
 * choices: they bound how much of the log a starting server has to replay.
 */
export function checkpointRows(
  state: LearnerState,
  choiceSequence: bigint,
  config: LearningConfig,
): LearningSnapshotRow[] {
  const snapshot = toSnapshot(state);
  const scopes: [string, ScopeSnapshot][] = [['global', snapshot.global]];
  for (const segment of SEGMENTS) {
    const scope = snapshot.segments[segment];
    if (scope) scopes.push([segment, scope]);
  }
  return scopes.map(([scope, posterior]) => {
    const estimate = estimateScope(state, scope as Segment | 'global', config);
    const learned = estimate ? toFactorScores(estimate.weights) : null;
    return {
      scope,
      version: snapshot.events,
      choiceSequence,
      weights: scope === 'global' ? (learned ?? {}) : serveWeights(state, scope as Segment, config).values,
      posterior: { ...posterior },
      sampleSize: posterior.sampleSize,
      confidence: estimate?.confidence ?? 0,
      metrics: {
        learnedWeights: learned,
        standardErrors: estimate ? Array.from(estimate.standardErrors, finiteOrNull) : null,
        scale: estimate ? finiteOrNull(estimate.scale) : null,
        positionEffects: estimate ? Array.from(estimate.positionEffects) : [],
        noneConstant: estimate?.noneConstant ?? null,
        spec: { ...snapshot.spec },
      },
    };
  });
}

/**
 * The learner restored from a checkpoint, or null when there is none or it was taken with another model
 * (then the whole log is replayed instead).
 */
export function restoreCheckpoint(
  rows: LearningSnapshotRow[],
  config: LearningConfig,
): LearnerCheckpoint | null {
  const global = rows.find((row) => row.scope === 'global');
  if (!global) return null;
  const spec = learnerModelSpec(config);
  const stored = (global.metrics as { spec?: LearnerSnapshot['spec'] }).spec;
  if (
    !stored ||
    stored.factorCount !== spec.factorCount ||
    stored.positionLevels !== spec.positionLevels ||
    stored.noneOption !== spec.noneOption
  ) {
    return null;
  }
  const segments: Partial<Record<Segment, ScopeSnapshot>> = {};
  for (const row of rows) {
    if ((SEGMENTS as readonly string[]).includes(row.scope)) {
      segments[row.scope as Segment] = row.posterior as unknown as ScopeSnapshot;
    }
  }
  const snapshot: LearnerSnapshot = {
    format: LEARNER_SNAPSHOT_FORMAT,
    spec,
    events: global.version,
    global: global.posterior as unknown as ScopeSnapshot,
    segments,
  };
  return { state: fromSnapshot(snapshot), choiceSequence: global.choiceSequence };
}

/**
 * Stores checkpoints one at a time, in the order taken, once the choices they follow have been answered: a
 * checkpoint only shortens the catch-up of a server that starts later, so no caller waits for one, and one
 * that cannot be stored is reported and left, for the next to take its place an interval later.
 */
export class CheckpointWriter {
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: LearningConfig,
    private readonly logger: ServiceLogger,
  ) {}

  store({ state, choiceSequence }: LearnerCheckpoint): void {
    this.#queue = this.#queue.then(async () => {
      try {
        await insertLearningSnapshot(this.prisma, checkpointRows(state, choiceSequence, this.config));
      } catch (error) {
        this.logger.error(
          { err: error, version: state.events },
          'a learning checkpoint could not be stored; a server starting before the next one replays more of the choice log',
        );
      }
    });
  }

  /** Resolves once every checkpoint handed in so far is stored, or reported as not stored. */
  stored(): Promise<void> {
    return this.#queue;
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
