import { type LoggedChoice, latestChoiceSequence, type Prisma, readChoiceLog } from '@matchloop/db';
import {
  applyChoice,
  type ChoiceSet,
  createLearner,
  type LearnerChoiceEvent,
  type LearnerState,
  type LearningConfig,
  predictChoice,
  type ServedSegmentWeights,
  serveWeights,
  toFactorVector,
} from '@matchloop/learning';
import type { Factor, FactorScores, Segment } from '@matchloop/schemas';

/** Served weights, stamped with the learner version they came from. */
export interface VersionedWeights extends ServedSegmentWeights {
  /** Choices folded into the learner when these weights were served; 0 before the first choice. */
  readonly version: number;
}

/** What the learner reads of a choice: who chose, in which segment, among what, and what they said. */
export type ChoiceToLog = Pick<LoggedChoice, 'chosenManufacturerId' | 'importantFactors' | 'session'>;

/**
 * The learner as a server holds it: a deterministic fold over the choice log, kept in memory and brought up
 * to date from the log whenever another server may have appended to it. Every server sharing a database
 * therefore holds the same state for the same log position.
 */
export class Learning {
  private state: LearnerState;
  private lastSequence = 0n;
  private choicesPerCustomer = new Map<string, number>();

  constructor(private readonly config: LearningConfig) {
    this.state = createLearner(config);
  }

  /** Folds in every choice logged after the last one this server has seen. */
  async catchUp(db: Prisma.TransactionClient): Promise<void> {
    if ((await latestChoiceSequence(db)) === this.lastSequence) return;
    for await (const choice of readChoiceLog(db, this.lastSequence)) {
      this.fold(choice);
      this.lastSequence = choice.sequence;
    }
  }

  serve(segment: Segment): VersionedWeights {
    return { ...serveWeights(this.state, segment, this.config), version: this.state.events };
  }

  /** Predicted probability of each option being chosen, options in presented order. */
  predict(segment: Segment, presented: readonly FactorScores[]): number[] {
    return Array.from(predictChoice(this.state, segment, shownAsChoiceSet(presented)).options);
  }

  /**
   * Folds in a choice that is being appended to the log, under the log's lock, and returns what the
   * segment has learned with it. `commit` writes it; should that fail, the learner is rebuilt from the
   * log on the next catch-up rather than left holding a choice the log does not have.
   */
  async append<T extends { sequence: bigint }>(
    choice: ChoiceToLog,
    commit: (learned: VersionedWeights) => Promise<T>,
  ): Promise<T> {
    this.fold(choice);
    try {
      const written = await commit(this.serve(choice.session.segment));
      this.lastSequence = written.sequence;
      return written;
    } catch (error) {
      this.reset();
      throw error;
    }
  }

  /** Forgets everything, so the next catch-up replays the whole log. */
  reset(): void {
    this.state = createLearner(this.config);
    this.lastSequence = 0n;
    this.choicesPerCustomer = new Map();
  }

  private fold(choice: ChoiceToLog): void {
    const { customerId } = choice.session;
    const customerChoiceNumber = (this.choicesPerCustomer.get(customerId) ?? 0) + 1;
    this.choicesPerCustomer.set(customerId, customerChoiceNumber);
    applyChoice(this.state, toLearnerEvent(choice, customerChoiceNumber), this.config);
  }
}

function shownAsChoiceSet(presented: readonly FactorScores[]): ChoiceSet {
  return {
    options: presented.map((factors, index) => ({ factors: toFactorVector(factors), rank: index + 1 })),
    noneAvailable: true,
  };
}

function toLearnerEvent(choice: ChoiceToLog, customerChoiceNumber: number): LearnerChoiceEvent {
  const shown = choice.session.recommendations;
  const chosenIndex =
    choice.chosenManufacturerId === null
      ? null
      : shown.findIndex((option) => option.manufacturerId === choice.chosenManufacturerId);
  return {
    segment: choice.session.segment,
    choice: { ...shownAsChoiceSet(shown), chosenIndex },
    importantFactors: choice.importantFactors as Factor[],
    customerChoiceNumber,
  };
}
