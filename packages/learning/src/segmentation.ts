import { type Preferences, SEGMENTS, type Segment, type SegmentSource } from '@matchloop/schemas';
import { logLikelihood } from './choice-model/metrics';
import type { ChoiceModelSpec, ChoiceObservation } from './choice-model/specification';

/** A stated preference at or above this is a clear priority. */
export const STRONG_PREFERENCE = 0.7;
/** A stated budget sensitivity at or below this means cost is a minor concern. */
export const WEAK_PREFERENCE = 0.3;

/**
 * Which single strong preference leads to which segment. When several are equally strong the earlier row
 * wins: the order runs from the constraint that binds hardest (a budget is rarely stretched) to the softest
 * (a local supplier is nice to have).
 */
const STRONG_PREFERENCE_SEGMENTS: readonly (readonly [keyof Preferences, Segment])[] = [
  ['budgetSensitivity', 'price_sensitive'],
  ['qualityRequirement', 'quality_focused'],
  ['urgency', 'speed_priority'],
  ['localPreference', 'local_preference'],
];

/**
 * Places a customer from what they state, deterministically:
 * 1. quality requirement ≥ 0.7 and a stated budget sensitivity ≤ 0.3 → premium_buyer (wants the best and
 *    says cost is secondary; an unstated budget is not evidence of indifference to it);
 * 2. otherwise the strongest preference ≥ 0.7 picks its segment (ties: see `STRONG_PREFERENCE_SEGMENTS`);
 * 3. otherwise, including when nothing is stated, balanced.
 */
export function segmentByRules(preferences: Preferences | undefined): Segment {
  const { budgetSensitivity, qualityRequirement } = preferences ?? {};
  if (
    qualityRequirement !== undefined &&
    qualityRequirement >= STRONG_PREFERENCE &&
    budgetSensitivity !== undefined &&
    budgetSensitivity <= WEAK_PREFERENCE
  ) {
    return 'premium_buyer';
  }
  let strongest: Segment = 'balanced';
  let strongestValue = STRONG_PREFERENCE;
  let found = false;
  for (const [preference, segment] of STRONG_PREFERENCE_SEGMENTS) {
    const value = preferences?.[preference];
    if (value !== undefined && (found ? value > strongestValue : value >= strongestValue)) {
      strongest = segment;
      strongestValue = value;
      found = true;
    }
  }
  return strongest;
}

/** Each segment's fitted choice model: θ per segment, all under one spec. Segments without one are skipped. */
export interface SegmentModels {
  readonly spec: ChoiceModelSpec;
  readonly parameters: Readonly<Partial<Record<Segment, ArrayLike<number>>>>;
}

export interface BehaviouralSegmentation {
  readonly segment: Segment;
  /** The log-likelihood of the customer's history under every segment model that was compared. */
  readonly logLikelihoods: Readonly<Partial<Record<Segment, number>>>;
}

/**
 * The segment whose model makes the customer's own choices most likely, or null while the history is
 * shorter than `minChoices` (too few choices tell segments apart by chance) or no model is available.
 * Ties go to the earlier segment in `SEGMENTS`.
 */
export function segmentByBehaviour(
  history: readonly ChoiceObservation[],
  models: SegmentModels,
  minChoices: number,
): BehaviouralSegmentation | null {
  if (history.length < minChoices) return null;
  const logLikelihoods: Partial<Record<Segment, number>> = {};
  let best: Segment | null = null;
  let bestLogLikelihood = Number.NEGATIVE_INFINITY;
  for (const segment of SEGMENTS) {
    const theta = models.parameters[segment];
    if (theta === undefined) continue;
    const value = logLikelihood(theta, models.spec, history);
    logLikelihoods[segment] = value;
    if (value > bestLogLikelihood) {
      best = segment;
      bestLogLikelihood = value;
    }
  }
  return best === null ? null : { segment: best, logLikelihoods };
}

export interface SegmentAssignment {
  readonly segment: Segment;
  readonly source: SegmentSource;
}

/** Behaviour once there is enough of it, stated preferences until then. */
export function assignSegment(
  preferences: Preferences | undefined,
  history: readonly ChoiceObservation[],
  models: SegmentModels,
  minChoices: number,
): SegmentAssignment {
  const behavioural = segmentByBehaviour(history, models, minChoices);
  return behavioural === null
    ? { segment: segmentByRules(preferences), source: 'rules' }
    : { segment: behavioural.segment, source: 'behavior' };
}
