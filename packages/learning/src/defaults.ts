import type { FactorWeights, Segment } from '@matchloop/schemas';
import type { WeightBounds } from './weights';

/**
 * The weights each segment is served until its own choices say otherwise. They encode what each kind of
 * buyer tells sales teams matters, and every one sums to exactly 1 and sits inside the default bounds.
 *
 * | segment          | cost | quality | speed | proximity | capability | reliability | rationale                                                         |
 * |------------------|------|---------|-------|-----------|------------|-------------|---------------------------------------------------------------------|
 * | price_sensitive  | 0.40 | 0.15    | 0.10  | 0.05      | 0.15       | 0.15        | price first, but a part that fails costs more than it saved          |
 * | quality_focused  | 0.08 | 0.35    | 0.07  | 0.05      | 0.20       | 0.25        | quality and a track record that proves it; technical fit close behind |
 * | speed_priority   | 0.10 | 0.12    | 0.40  | 0.10      | 0.13       | 0.15        | lead time first; nearby helps delivery; a late or bad part is no part |
 * | local_preference | 0.12 | 0.15    | 0.10  | 0.35      | 0.13       | 0.15        | proximity first (visits, logistics, local sourcing), the rest even   |
 * | premium_buyer    | 0.03 | 0.30    | 0.10  | 0.04      | 0.28       | 0.25        | best-in-class quality, capability and reliability; cost barely counts |
 * | balanced         | 0.20 | 0.20    | 0.15  | 0.10      | 0.20       | 0.15        | no strong stated priority: cost, quality and fit lead, nothing dominates |
 */
export const DEFAULT_SEGMENT_WEIGHTS: Readonly<Record<Segment, Readonly<FactorWeights>>> = {
  price_sensitive: {
    cost: 0.4,
    quality: 0.15,
    speed: 0.1,
    proximity: 0.05,
    capability: 0.15,
    reliability: 0.15,
  },
  quality_focused: {
    cost: 0.08,
    quality: 0.35,
    speed: 0.07,
    proximity: 0.05,
    capability: 0.2,
    reliability: 0.25,
  },
  speed_priority: {
    cost: 0.1,
    quality: 0.12,
    speed: 0.4,
    proximity: 0.1,
    capability: 0.13,
    reliability: 0.15,
  },
  local_preference: {
    cost: 0.12,
    quality: 0.15,
    speed: 0.1,
    proximity: 0.35,
    capability: 0.13,
    reliability: 0.15,
  },
  premium_buyer: {
    cost: 0.03,
    quality: 0.3,
    speed: 0.1,
    proximity: 0.04,
    capability: 0.28,
    reliability: 0.25,
  },
  balanced: { cost: 0.2, quality: 0.2, speed: 0.15, proximity: 0.1, capability: 0.2, reliability: 0.15 },
};

/** Every knob of the learner, in one place. `DEFAULT_LEARNING_CONFIG` documents the chosen values. */
export interface LearningConfig {
  /** Choices a segment needs before anything but its defaults is served. */
  readonly minSampleSize: number;
  /** Limits on every served weight. */
  readonly bounds: WeightBounds;
  /** Choices a customer needs before behaviour, not stated preferences, decides their segment. */
  readonly behaviourMinChoices: number;
  /**
   * Drift: after this many further choices in a scope, old evidence counts half (the posterior precision is
   * discounted towards the prior). null never forgets.
   */
  readonly forgettingHalfLife: number | null;
  /** Prior precision of every global parameter around zero: "no factor matters yet". */
  readonly globalPriorPrecision: number;
  /** Precision of a segment's prior around the global posterior mean: how hard segments are pulled together. */
  readonly segmentPriorPrecision: number;
  /** Presented positions with their own position effect (ranks deeper share the last one); 1 disables them. */
  readonly positionLevels: number;
  /** Model walking away ("none") with a per-scope constant α. */
  readonly noneOption: boolean;
  /** RMS standard error of the learned weights at which confidence is exactly 0.5. */
  readonly confidenceHalfStandardError: number;
  /** Confidence from which the learned weights are served alone rather than blended with the defaults. */
  readonly learnedConfidence: number;
  /**
   * Poisoning resistance: only a customer's first N choices teach the learner. Later ones are still recorded
   * and reported, but they neither move any posterior nor make it forget, so one customer can never move a
   * segment further than N choices can, however many they send. null disables the cap.
   */
  readonly customerChoiceCap: number | null;
}

/**
 * Defaults chosen for a marketplace with about ten options per session, factor scores spread over [0, 1]
 * and a few hundred choices per segment per week:
 * - bounds [0.02, 0.60]: every factor keeps a voice, none takes over alone;
 * - half-life 5,000 choices per scope: old evidence fades over weeks, not days, so one odd day cannot swing
 *   the weights, yet a real shift in taste shows within a few thousand choices;
 * - global prior precision 0.1 around zero: worth a handful of choices, so the data speak almost at once;
 * - segment prior precision 1 around the global mean: worth a few dozen choices, so a young segment stays
 *   close to the market until its own evidence says otherwise;
 * - a cap of 50 learning choices per customer: a busy buyer's first months all count, while nobody can
 *   flood a segment that a few hundred customers share;
 * - confidence 0.5 at an RMS weight standard error of 0.04 (a segment's first hundred or so choices), and
 *   0.95, when the learned weights are served alone, at about 0.009 (a few thousand choices), which is
 *   finer than any difference a customer would notice in a ranking.
 */
export const DEFAULT_LEARNING_CONFIG: LearningConfig = {
  minSampleSize: 30,
  bounds: { min: 0.02, max: 0.6 },
  behaviourMinChoices: 5,
  forgettingHalfLife: 5000,
  globalPriorPrecision: 0.1,
  segmentPriorPrecision: 1,
  positionLevels: 5,
  noneOption: true,
  confidenceHalfStandardError: 0.04,
  learnedConfidence: 0.95,
  customerChoiceCap: 50,
};
