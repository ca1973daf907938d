import {
  type ChangeFeed,
  type LearningSnapshotRow,
  type LoggedChoice,
  latestChoiceSequence,
  latestLearningSnapshot,
  type Prisma,
  readChoiceLog,
  toShownFactors,
} from '@matchloop/db';
import {
  applyChoice,
  assignSegment,
  behaviourModels,
  type ChoiceObservation,
  type ChoiceOption,
  type ChoiceSet,
  createLearner,
  estimateScope,
  forkLearner,
  type LearnerChoiceEvent,
  type LearnerState,
  type LearningConfig,
  predictChoice,
  type SegmentAssignment,
  type ServedSegmentWeights,
  serializeLearner,
  serveWeights,
  statedVsRevealed,
  toFactorScores,
} from '@matchloop/learning';
import {
  FACTORS,
  type Factor,
  type FactorScores,
  type Preferences,
  SEGMENTS,
  type Segment,
  type StatedVsRevealed as StatedVsRevealedReport,
} from '@matchloop/schemas';
import { checkpointRows, type LearnerCheckpoint, restoreCheckpoint } from './learning-checkpoints';

/** Served weights, stamped with the learner version they came from. */
export interface VersionedWeights extends ServedSegmentWeights {
  /** Choices folded into the learner when these weights were served; 0 before the first choice. */
  readonly version: number;
}

export interface LearningOptions {
  readonly config: LearningConfig;
  /** A checkpoint is written every this many choices, so a starting server replays at most that many. */
  readonly checkpointInterval: number;
}

/**
 * The learner as a server holds it: a deterministic fold over the choice log, kept in memory, restored
 * from the newest checkpoint at start and brought up to date from the log whenever another server may
 * have appended to it. Every server sharing a database therefore holds the same state for the same log
 * position, which is also what `matchloop replay` rebuilds from scratch.
 */
export class Learning {
  private state: LearnerState;
  private lastSequence = 0n;
  /** The newest choice the change feed has announced, from any server. */
  private announcedSequence = 0n;
  /** Whether memory was checked against the log since the feed last (re)connected. */
  private verified = false;
  private feed: ChangeFeed | undefined;
  /** What `remember` computed from the state, and the version it was computed at. */
  private readonly remembered = new Map<string, { version: number; value: unknown }>();

  private constructor(private readonly options: LearningOptions) {
    this.state = createLearner(options.config);
  }

  /**
   * Restores the newest checkpoint and catches up with the log. Given the change feed, it then hears of
   * every choice any server logs, so that `refresh` can answer from memory without asking the database.
   */
  static async open(
    prisma: Prisma.TransactionClient,
    options: LearningOptions,
    feed?: ChangeFeed,
  ): Promise<Learning> {
    const learning = new Learning(options);
    if (feed) {
      learning.feed = feed;
      feed.subscribe({
        choiceLogged: (sequence) => {
          if (sequence > learning.announcedSequence) learning.announcedSequence = sequence;
        },
        resynced: () => {
          learning.verified = false;
        },
      });
    }
    const checkpoint = restoreCheckpoint(await latestLearningSnapshot(prisma), options.config);
    if (checkpoint) {
      learning.state = checkpoint.state;
      learning.lastSequence = checkpoint.choiceSequence;
    }
    await learning.refresh(prisma);
    return learning;
  }

  /**
   * Catches up with the log only when memory may be behind it: when the feed has announced a choice not
   * folded in yet, cannot vouch for what it announced (not live, or reconnected since the last check), or
   * when the caller needs at least `minVersion` and memory has less.
   */
  async refresh(db: Prisma.TransactionClient, minVersion = 0): Promise<void> {
    if (this.foldedUpToLogEnd() !== null && this.state.events >= minVersion) return;
    // Set before asking: a reconnect while the query runs clears it again, so the next call asks too.
    this.verified = this.feed?.live === true;
    await this.catchUp(db);
  }

  /**
   * Where the log ends, when this server has folded it all as far as the feed tells: the feed is live, has
   * been checked against the log since it (re)connected, and has announced no choice not folded in yet. Null
   * otherwise. A choice announced late may still lie beyond it: a writer relying on it must check it.
   */
  foldedUpToLogEnd(): bigint | null {
    const current = this.feed?.live === true && this.verified && this.announcedSequence <= this.lastSequence;
    return current ? this.lastSequence : null;
  }

  /** Folds in every choice logged after the last one this server has seen, asking the database. */
  async catchUp(db: Prisma.TransactionClient, afterEachChoice?: () => void): Promise<void> {
    await this.catchUpTo(db, await latestChoiceSequence(db), afterEachChoice);
  }

  /**
   * Folds in the log up to `logEnd`, its newest sequence as the caller has just read it: nothing is read
   * when this server has seen it all.
   */
  async catchUpTo(db: Prisma.TransactionClient, logEnd: bigint, afterEachChoice?: () => void): Promise<void> {
    if (logEnd === this.lastSequence) return;
    for await (const choice of readChoiceLog(db, this.lastSequence)) {
      if (this.foldIfNew(choice)) afterEachChoice?.();
    }
  }

  /** The last choice of the log folded in: what a read of the log's newer choices starts after. */
  get foldedUpTo(): bigint {
    return this.lastSequence;
  }

  /**
   * Folds in choices read from the log after `foldedUpTo` as it was when the read began, in log order, as
   * many as were read: `catchUpTo` then reads any the read left out.
   */
  foldLogged(choices: readonly LoggedChoice[]): void {
    for (const choice of choices) this.foldIfNew(choice);
  }

  /** Concurrent requests catch up at once and read the same choices: each is folded in by the first. */
  private foldIfNew(choice: LoggedChoice): boolean {
    if (choice.sequence <= this.lastSequence) return false;
    this.fold(this.state, choice);
    this.lastSequence = choice.sequence;
    return true;
  }

  /** A learner that has seen nothing: what `replay` folds the whole log into. */
  static empty(options: LearningOptions): Learning {
    return new Learning(options);
  }

  serve(segment: Segment): VersionedWeights {
    return this.remember(`served:${segment}`, () => this.served(this.state, segment));
  }

  private served(state: LearnerState, segment: Segment): VersionedWeights {
    // Its own fields before the spread: see the README's "Objects on the hot paths".
    return { version: state.events, ...serveWeights(state, segment, this.options.config) };
  }

  private fold(state: LearnerState, choice: AppendedChoice): void {
    applyChoice(state, toLearnerEvent(choice), this.options.config);
  }

  /** The segment's learned weights and their standard errors, before blending; null before its first choice. */
  learnedWeights(
    segment: Segment,
  ): { values: FactorScores; standardErrors: Record<Factor, number | null> } | null {
    const estimate = estimateScope(this.state, segment, this.options.config);
    if (!estimate) return null;
    return {
      values: toFactorScores(estimate.weights),
      standardErrors: Object.fromEntries(
        FACTORS.map((factor, k) => {
          const error = estimate.standardErrors[k] as number;
          return [factor, Number.isFinite(error) ? error : null];
        }),
      ) as Record<Factor, number | null>,
    };
  }

  /** What the segment's customers say matters beside what their choices show, as the contract reports it. */
  statedVsRevealed(segment: Segment): StatedVsRevealedReport {
    const stated = statedVsRevealed(this.state, segment, this.options.config);
    return { ...stated, factors: [...stated.factors] };
  }

  /** Predicted probability of each option being chosen, options in presented order. */
  predict(segment: Segment, presented: readonly FactorScores[]): number[] {
    return Array.from(predictChoice(this.state, segment, shownChoiceSet(toShownFactors(presented))).options);
  }

  /**
   * The customer's segment: by the segment model that best explains their recent choices once they have
   * made enough of them, by their stated preferences before that.
   */
  segmentFor(
    preferences: Preferences | undefined,
    recentChoices: readonly LoggedChoice[],
  ): SegmentAssignment {
    const history: ChoiceObservation[] = recentChoices.map((choice) => toLearnerEvent(choice).choice);
    const { config } = this.options;
    return assignSegment(
      preferences,
      history,
      this.remember('behaviourModels', () => behaviourModels(this.state, config)),
      config.behaviourMinChoices,
    );
  }

  /**
   * Learns from choices as they are appended to the log. They are folded, in the order given, into a copy of
   * the learner, which has folded the log up to `foldedUpTo`; `write` stores each with what its segment had
   * learned right after it, and returns them as logged, in the same order, which their sequences must
   * follow, or null if it stored nothing because the log no longer ends at `foldedUpTo` (then nothing is
   * learned from them). Wherever the count of choices reaches a multiple of the checkpoint interval, a
   * checkpoint is returned for the caller to store. The learner that serves is left as it was until the
   * caller, once the choices are committed, calls `publish`: until then they may still roll back, and
   * nothing may be served from them.
   */
  async append<Choice extends AppendedChoice, Logged extends { readonly sequence: bigint }>(
    choices: readonly Choice[],
    write: (
      learned: readonly { choice: Choice; learned: VersionedWeights }[],
      foldedUpTo: bigint,
    ) => Promise<readonly Logged[] | null>,
  ): Promise<{ written: readonly Logged[]; checkpoints: LearnerCheckpoint[]; publish: () => void } | null> {
    const before = this.lastSequence;
    const next = forkLearner(this.state, new Set(choices.map(({ segment }) => segment)));
    const checkpointStates: { at: number; state: LearnerState }[] = [];
    const learned = choices.map((choice, at) => {
      this.fold(next, choice);
      if (next.events % this.options.checkpointInterval === 0)
        checkpointStates.push({ at, state: forkLearner(next, SEGMENTS) });
      return { choice, learned: this.served(next, choice.segment) };
    });
    const written = await write(learned, before);
    if (written === null) return null;
    const sequences = written.map(({ sequence }) => sequence);
    assertLoggedInFoldOrder(sequences, before, choices.length);
    const checkpoints = checkpointStates.map(({ at, state }) => ({
      state,
      choiceSequence: sequences[at] as bigint,
    }));
    const last = sequences.at(-1) ?? before;
    return {
      written,
      checkpoints,
      publish: () => {
        // A request that caught up in the meantime has folded these choices in from the log already.
        if (this.lastSequence !== before) return;
        this.state = next;
        this.lastSequence = last;
      },
    };
  }

  /**
   * Folds in choices appended to the log in bulk, in log order, by a caller holding the log's lock;
   * `settle` then records where the log ends. Returns what the choice's segment has learned with it.
   */
  foldAppended(choice: AppendedChoice): VersionedWeights {
    this.fold(this.state, choice);
    return this.serve(choice.segment);
  }

  settle(lastSequence: bigint): void {
    this.lastSequence = lastSequence;
  }

  /** The state as checkpoint rows, for storing. */
  checkpoint(): LearningSnapshotRow[] {
    return checkpointRows(this.state, this.lastSequence, this.options.config);
  }

  /**
   * `compute`'s result for the current state, computed once per learner version: reads between two choices
   * (most of them) then cost a lookup rather than matrix inversions.
   */
  remember<T>(key: string, compute: () => T): T {
    const version = this.state.events;
    const hit = this.remembered.get(key);
    if (hit?.version === version) return hit.value as T;
    const value = compute();
    this.remembered.set(key, { version, value });
    return value;
  }

  /** Choices folded in so far. */
  get events(): number {
    return this.state.events;
  }

  /** The learned state in canonical form: the same log always gives byte-identical text. */
  serialize(): string {
    return serializeLearner(this.state);
  }
}

/** A choice about to be appended to the log: everything the log holds of it but its place. */
export type AppendedChoice = Omit<LoggedChoice, 'sequence'>;

/**
 * Fails the append when the log did not store the choices in the order they were folded, after every
 * choice folded before them: a learner that disagrees with its log must never be served.
 */
function assertLoggedInFoldOrder(sequences: readonly bigint[], after: bigint, count: number): void {
  const inOrder =
    sequences.length === count && sequences.every((sequence, i) => sequence > (sequences[i - 1] ?? after));
  if (!inOrder) {
    throw new Error(
      `the choice log stored the choices learned from after sequence ${after} at sequences ` +
        `${sequences.join(', ')}: not in the order they were learned from`,
    );
  }
}

/**
 * The shown options as the choice model reads them: factor vectors in presented order. A loop, not
 * `Array.from({ length })`, which costs a replay some 0.8 µs more for every choice it folds.
 */
function shownChoiceSet(shownFactors: Float64Array): ChoiceSet {
  const options: ChoiceOption[] = [];
  for (let start = 0; start < shownFactors.length; start += FACTORS.length) {
    options.push({
      factors: shownFactors.subarray(start, start + FACTORS.length),
      rank: options.length + 1,
    });
  }
  return { options, noneAvailable: true };
}

function toLearnerEvent(choice: AppendedChoice): LearnerChoiceEvent {
  // Not a spread copy with chosenIndex added: on Node 20 that takes the engine's slow path, for every choice
  // a replay folds.
  const { options, noneAvailable } = shownChoiceSet(choice.shownFactors);
  return {
    segment: choice.segment,
    choice: {
      options,
      noneAvailable,
      chosenIndex: choice.chosenRank === null ? null : choice.chosenRank - 1,
    },
    importantFactors: choice.importantFactors as Factor[],
    customerChoiceNumber: choice.customerChoiceNumber,
  };
}
