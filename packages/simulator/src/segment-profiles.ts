import type { Complexity, FactorWeights, Preferences, Segment } from '@matchloop/schemas';

/**
 * What the synthetic market knows and Matchloop has to find out: how each segment really trades factors off
 * (its TRUE weights), how common it is, what its customers say about themselves, and what they build.
 */
export interface SegmentProfile {
  /** Share of the customer population. */
  readonly share: number;
  /**
   * The weights the segment's choices reveal, summing to 1 and inside the served bounds [0.02, 0.60]. They
   * deliberately differ from Matchloop's documented defaults, so that learning has something to find.
   */
  readonly trueWeights: FactorWeights;
  /** The typical stated preferences; each customer's own are scattered around these. */
  readonly statedPreferences: Required<Preferences>;
  /** How often the segment's projects are of each complexity. */
  readonly complexityMix: Readonly<Record<Complexity, number>>;
}

const EVERYDAY_PROJECTS = { simple: 0.3, moderate: 0.4, complex: 0.22, highly_complex: 0.08 };

/**
 * The hidden truth, next to what sales teams believed (the defaults in @matchloop/learning):
 *
 * | segment          | cost | quality | speed | proximity | capability | reliability | what the choices reveal                           |
 * |------------------|------|---------|-------|-----------|------------|-------------|---------------------------------------------------|
 * | price_sensitive  | 0.45 | 0.08    | 0.17  | 0.10      | 0.12       | 0.08        | cheaper still than assumed, and a fast quote wins  |
 * | quality_focused  | 0.15 | 0.30    | 0.05  | 0.05      | 0.15       | 0.30        | proven track record matters as much as quality    |
 * | speed_priority   | 0.12 | 0.08    | 0.50  | 0.15      | 0.07       | 0.08        | lead time dominates; nearby means faster delivery |
 * | local_preference | 0.20 | 0.10    | 0.08  | 0.45      | 0.07       | 0.10        | local first, then price                           |
 * | premium_buyer    | 0.05 | 0.25    | 0.10  | 0.03      | 0.37       | 0.20        | technical capability above all                    |
 * | balanced         | 0.25 | 0.18    | 0.17  | 0.08      | 0.12       | 0.20        | price and reliability lead, nothing dominates     |
 */
export const SEGMENT_PROFILES: Readonly<Record<Segment, SegmentProfile>> = {
  price_sensitive: {
    share: 0.25,
    trueWeights: {
      cost: 0.45,
      quality: 0.08,
      speed: 0.17,
      proximity: 0.1,
      capability: 0.12,
      reliability: 0.08,
    },
    statedPreferences: {
      budgetSensitivity: 0.88,
      urgency: 0.45,
      qualityRequirement: 0.4,
      localPreference: 0.35,
    },
    complexityMix: { simple: 0.45, moderate: 0.4, complex: 0.12, highly_complex: 0.03 },
  },
  quality_focused: {
    share: 0.15,
    trueWeights: {
      cost: 0.15,
      quality: 0.3,
      speed: 0.05,
      proximity: 0.05,
      capability: 0.15,
      reliability: 0.3,
    },
    statedPreferences: {
      budgetSensitivity: 0.5,
      urgency: 0.35,
      qualityRequirement: 0.88,
      localPreference: 0.3,
    },
    complexityMix: { simple: 0.15, moderate: 0.35, complex: 0.35, highly_complex: 0.15 },
  },
  speed_priority: {
    share: 0.15,
    trueWeights: {
      cost: 0.12,
      quality: 0.08,
      speed: 0.5,
      proximity: 0.15,
      capability: 0.07,
      reliability: 0.08,
    },
    statedPreferences: {
      budgetSensitivity: 0.45,
      urgency: 0.9,
      qualityRequirement: 0.45,
      localPreference: 0.4,
    },
    complexityMix: EVERYDAY_PROJECTS,
  },
  local_preference: {
    share: 0.1,
    trueWeights: {
      cost: 0.2,
      quality: 0.1,
      speed: 0.08,
      proximity: 0.45,
      capability: 0.07,
      reliability: 0.1,
    },
    statedPreferences: {
      budgetSensitivity: 0.45,
      urgency: 0.4,
      qualityRequirement: 0.45,
      localPreference: 0.88,
    },
    complexityMix: EVERYDAY_PROJECTS,
  },
  premium_buyer: {
    share: 0.08,
    trueWeights: {
      cost: 0.05,
      quality: 0.25,
      speed: 0.1,
      proximity: 0.03,
      capability: 0.37,
      reliability: 0.2,
    },
    statedPreferences: {
      budgetSensitivity: 0.12,
      urgency: 0.4,
      qualityRequirement: 0.9,
      localPreference: 0.25,
    },
    complexityMix: { simple: 0.05, moderate: 0.2, complex: 0.4, highly_complex: 0.35 },
  },
  balanced: {
    share: 0.27,
    trueWeights: {
      cost: 0.25,
      quality: 0.18,
      speed: 0.17,
      proximity: 0.08,
      capability: 0.12,
      reliability: 0.2,
    },
    statedPreferences: {
      budgetSensitivity: 0.5,
      urgency: 0.45,
      qualityRequirement: 0.5,
      localPreference: 0.4,
    },
    complexityMix: EVERYDAY_PROJECTS,
  },
};
