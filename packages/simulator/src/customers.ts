import { FACTORS, type FactorWeights, type Preferences, type Segment } from '@matchloop/schemas';
import { type Location, randomLocation } from './geography';
import { clampUnit, type Random } from './random';
import { SEGMENT_PROFILES } from './segment-profiles';

/** A buying organisation. Matchloop sees its id and stated preferences; the rest is hidden truth. */
export interface Customer {
  readonly id: string;
  /** The segment the customer truly belongs to; Matchloop has to infer it. */
  readonly segment: Segment;
  /** The customer's own trade-offs: the segment's true weights with individual variation, summing to 1. */
  readonly trueWeights: FactorWeights;
  readonly preferences: Required<Preferences>;
  readonly location: Location;
}

export interface CustomerVariation {
  /** σ of the log-normal factor by which each of a customer's weights departs from the segment's. */
  readonly weightSpread: number;
  /** Standard deviation of each stated preference around the segment's typical statement. */
  readonly statementSpread: number;
}

export function generateCustomer(
  random: Random,
  id: string,
  segment: Segment,
  variation: CustomerVariation,
): Customer {
  const profile = SEGMENT_PROFILES[segment];
  return {
    id,
    segment,
    trueWeights: individualWeights(random, profile.trueWeights, variation.weightSpread),
    preferences: statedPreferences(random, profile.statedPreferences, variation.statementSpread),
    location: randomLocation(random),
  };
}

/**
 * Multiplicative scatter keeps every weight positive and each factor's share proportional to how much the
 * segment cares about it; renormalising keeps the sum at 1. The segment mean stays close to its true weights.
 */
function individualWeights(random: Random, segmentWeights: FactorWeights, spread: number): FactorWeights {
  const scattered = { ...segmentWeights };
  for (const factor of FACTORS) scattered[factor] *= random.logNormal(spread);
  const total = FACTORS.reduce((sum, factor) => sum + scattered[factor], 0);
  for (const factor of FACTORS) scattered[factor] /= total;
  return scattered;
}

function statedPreferences(
  random: Random,
  typical: Required<Preferences>,
  spread: number,
): Required<Preferences> {
  return {
    budgetSensitivity: clampUnit(random.normal(typical.budgetSensitivity, spread)),
    urgency: clampUnit(random.normal(typical.urgency, spread)),
    qualityRequirement: clampUnit(random.normal(typical.qualityRequirement, spread)),
    localPreference: clampUnit(random.normal(typical.localPreference, spread)),
  };
}
