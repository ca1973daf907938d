import { FACTORS, type Factor, SEGMENTS, type Segment } from '@matchloop/schemas';
import {
  createOnlineWorkspace,
  createPosterior,
  type OnlinePosterior,
  type OnlineUpdateOptions,
  type OnlineWorkspace,
  updatePosterior,
} from './choice-model/online';
import {
  assertValidObservation,
  assertValidSpec,
  type ChoiceModelSpec,
  type ChoiceObservation,
  parameterCount,
} from './choice-model/specification';
import type { LearningConfig } from './defaults';

/**
 * The learner: a deterministic fold of the choice log into one posterior for the whole market (global) and
 * one per segment.
 *
 * Every choice updates the global scope and its segment's scope. A segment's prior is centred on the global
 * posterior mean, so a new segment starts where the market is and moves away only as fast as its own
 * evidence allows (`segmentPriorPrecision` says how hard it is pulled back). The global mean includes the
 * segment's own choices too; with six segments that double counting is a small, deliberate shrinkage.
 * A segment's prior is re-centred each time the segment itself learns, not whenever the global mean moves,
 * so the fold stays O(1) scopes per choice.
 */

/** The product's choice model: the six factors, then position effects and the none constant. */
export function learnerModelSpec(config: LearningConfig): ChoiceModelSpec {
  const spec = {
    factorCount: FACTORS.length,
    positionLevels: config.positionLevels,
    noneOption: config.noneOption,
  };
  assertValidSpec(spec);
  return spec;
}

/** How often customers named each factor as important: stated preferences, kept beside revealed ones. */
export interface StatedFactorTally {
  /** Choices in which at least one factor was named. */
  statements: number;
  /** Times each factor was named, in `FACTORS` order. */
  readonly mentions: Float64Array;
}

export interface ScopeState {
  readonly posterior: OnlinePosterior;
  readonly stated: StatedFactorTally;
}

export interface LearnerState {
  readonly spec: ChoiceModelSpec;
  readonly global: ScopeState;
  /** A segment appears with its first choice. */
  readonly segments: Partial<Record<Segment, ScopeState>>;
  /** Choices folded in so far. */
  events: number;
  /** Scratch buffers for the updates; not part of the state's meaning and never serialised. */
  readonly workspace: OnlineWorkspace;
}

/** One recorded choice, as the learner needs it. */
export interface LearnerChoiceEvent {
  /** The segment the customer was in when they chose. */
  readonly segment: Segment;
  /** Factor values in `FACTORS` order, options as presented. */
  readonly choice: ChoiceObservation;
  /** Factors the customer said mattered. Tallied, never used to move the weights. */
  readonly importantFactors?: readonly Factor[];
  /**
   * 1 for the customer's first recorded choice, 2 for the second, …, counted in log order. It carries the
   * per-customer contribution cap without the learner having to remember every customer.
   */
  readonly customerChoiceNumber: number;
}

export function createLearner(config: LearningConfig): LearnerState {
  const spec = learnerModelSpec(config);
  const dimension = parameterCount(spec);
  return {
    spec,
    global: createScope(
      createPosterior(
        spec,
        new Float64Array(dimension),
        new Float64Array(dimension).fill(config.globalPriorPrecision),
      ),
    ),
    segments: {},
    events: 0,
    workspace: createOnlineWorkspace(spec),
  };
}

function createScope(posterior: OnlinePosterior): ScopeState {
  return { posterior, stated: { statements: 0, mentions: new Float64Array(FACTORS.length) } };
}

/**
 * A learner that choices of the given segments can be folded into while `state` stays as it was. Folding a
 * choice changes only the global scope and its segment's, so only those are copied; every other segment's
 * scope, the specification and the scratch buffers are shared. A server that copied the whole learner for
 * every round of choices it recorded spent most of that round's memory on it.
 */
export function forkLearner(state: LearnerState, segments: Iterable<Segment>): LearnerState {
  const forked = { ...state.segments };
  for (const segment of segments) {
    const scope = state.segments[segment];
    if (scope !== undefined) forked[segment] = copyScope(scope);
  }
  return {
    spec: state.spec,
    global: copyScope(state.global),
    segments: forked,
    events: state.events,
    workspace: state.workspace,
  };
}

function copyScope({ posterior, stated }: ScopeState): ScopeState {
  return {
    posterior: {
      mean: posterior.mean.slice(),
      precision: posterior.precision.slice(),
      priorMean: posterior.priorMean.slice(),
      priorPrecision: posterior.priorPrecision.slice(),
      sampleSize: posterior.sampleSize,
    },
    stated: { statements: stated.statements, mentions: stated.mentions.slice() },
  };
}

/**
 * Folds one choice into the learner and returns the same state object, updated IN PLACE: its posteriors'
 * typed arrays and counters are mutated rather than copied, which is what makes 100,000+ updates per second
 * possible. Callers that need the previous state fold into a `forkLearner` of it instead.
 */
export function applyChoice(
  state: LearnerState,
  event: LearnerChoiceEvent,
  config: LearningConfig,
): LearnerState {
  const { spec, global, workspace } = state;
  assertValidEvent(event, spec);
  state.events += 1;
  if (!teachesLearner(event.customerChoiceNumber, config.customerChoiceCap)) return state;

  const discount = forgettingDiscount(config.forgettingHalfLife);
  const globalUpdate: OnlineUpdateOptions = { discount, weight: 1, nonNegativeFactors: true };
  updatePosterior(global.posterior, spec, event.choice, globalUpdate, workspace);

  let segment = state.segments[event.segment];
  if (segment === undefined) {
    segment = createScope(
      createPosterior(
        spec,
        global.posterior.mean,
        new Float64Array(global.posterior.mean.length).fill(config.segmentPriorPrecision),
      ),
    );
    state.segments[event.segment] = segment;
  }
  // Its own fields before the spread: see the README's "Objects on the hot paths".
  const segmentUpdate: OnlineUpdateOptions = { priorMean: global.posterior.mean, ...globalUpdate };
  updatePosterior(segment.posterior, spec, event.choice, segmentUpdate, workspace);

  if (event.importantFactors !== undefined && event.importantFactors.length > 0) {
    tallyStatedFactors(global.stated, event.importantFactors);
    tallyStatedFactors(segment.stated, event.importantFactors);
  }
  return state;
}

/** Rebuilds the learner from the choice log, oldest first. The same log always gives the same state. */
export function replay(events: Iterable<LearnerChoiceEvent>, config: LearningConfig): LearnerState {
  const state = createLearner(config);
  for (const event of events) applyChoice(state, event, config);
  return state;
}

/** γ per choice for a half-life in choices: γ^halfLife = ½. */
export function forgettingDiscount(halfLife: number | null): number {
  if (halfLife === null) return 1;
  if (!(halfLife > 0)) throw new RangeError(`forgettingHalfLife must be positive or null, got ${halfLife}`);
  return 2 ** (-1 / halfLife);
}

/**
 * Whether a customer's n-th choice may teach the learner. A capped choice is skipped whole, forgetting
 * included: were it only down-weighted, a flood of them would still make the segment forget everyone else.
 */
export function teachesLearner(choiceNumber: number, customerChoiceCap: number | null): boolean {
  return customerChoiceCap === null || choiceNumber <= customerChoiceCap;
}

function tallyStatedFactors(tally: StatedFactorTally, factors: readonly Factor[]): void {
  tally.statements += 1;
  for (const factor of new Set(factors)) {
    const index = FACTORS.indexOf(factor);
    tally.mentions[index] = (tally.mentions[index] as number) + 1;
  }
}

function assertValidEvent(event: LearnerChoiceEvent, spec: ChoiceModelSpec): void {
  if (!(SEGMENTS as readonly string[]).includes(event.segment)) {
    throw new RangeError(`unknown segment "${event.segment}"`);
  }
  if (!Number.isInteger(event.customerChoiceNumber) || event.customerChoiceNumber < 1) {
    throw new RangeError(
      `customerChoiceNumber must be a positive integer, got ${event.customerChoiceNumber}`,
    );
  }
  for (const factor of event.importantFactors ?? []) {
    if (!(FACTORS as readonly string[]).includes(factor)) throw new RangeError(`unknown factor "${factor}"`);
  }
  assertValidObservation(event.choice, spec);
}
