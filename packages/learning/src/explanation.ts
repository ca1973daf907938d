import {
  type Explanation,
  FACTORS,
  type Factor,
  type FactorScores,
  type FactorWeights,
  type Segment,
} from '@matchloop/schemas';

/** How a factor reads in a sentence to a customer: "mainly for its …". */
const FACTOR_PHRASES: Readonly<Record<Factor, string>> = {
  cost: 'cost-efficiency',
  quality: 'quality',
  speed: 'speed',
  proximity: 'proximity',
  capability: 'technical fit',
  reliability: 'reliability',
};

/** Who the segment's weights speak for: "which matter most to …". */
const SEGMENT_AUDIENCES: Readonly<Record<Segment, string>> = {
  price_sensitive: 'price-sensitive buyers',
  quality_focused: 'quality-focused buyers',
  speed_priority: 'buyers in a hurry',
  local_preference: 'buyers who prefer local suppliers',
  premium_buyer: 'premium buyers',
  balanced: 'buyers without one overriding priority',
};

/** A third factor is named only when it pulls nearly as much as the second; otherwise it is noise. */
const THIRD_FACTOR_SHARE = 0.75;
/** The summary credits the segment only when the top factors are among its this-many heaviest weights. */
const SEGMENT_PRIORITY_DEPTH = 3;

export interface ExplanationContext {
  /** The recommendation's presented rank, 1 = top. */
  readonly rank: number;
  /** The segment whose weights ranked it; adds "which matter most to …" when its priorities explain the rank. */
  readonly segment?: Segment;
}

/**
 * Why a candidate scored as it did: each factor's contribution w_f · score_f (they sum to the score), the
 * two or three factors that contributed most, and one plain sentence. Cheap on purpose: it runs for every
 * candidate of every session. A function of its arguments alone, so that an explanation rebuilt from a
 * session's stored factor scores, weights, rank and segment equals, to the last bit and word, the one first
 * given: explanations are not stored.
 */
export function explain(
  factors: FactorScores,
  weights: FactorWeights,
  context: ExplanationContext,
): Explanation {
  const contributions = factorContributions(factors, weights);
  const topFactors = pickTopFactors(contributions);
  return { contributions, topFactors, summary: summarise(topFactors, weights, context) };
}

/** Each factor's share of a score, w_f · score_f. */
function factorContributions(factors: FactorScores, weights: FactorWeights): FactorScores {
  return {
    cost: weights.cost * factors.cost,
    quality: weights.quality * factors.quality,
    speed: weights.speed * factors.speed,
    proximity: weights.proximity * factors.proximity,
    capability: weights.capability * factors.capability,
    reliability: weights.reliability * factors.reliability,
  };
}

/**
 * The largest positive contributions, largest first, FACTORS order breaking ties: the two largest, and the
 * third when it pulls nearly as much as the second. One pass without sorting, as it runs for every candidate.
 */
function pickTopFactors(contributions: FactorScores): Factor[] {
  let first: Factor | undefined;
  let second: Factor | undefined;
  let third: Factor | undefined;
  for (const factor of FACTORS) {
    const contribution = contributions[factor];
    if (!(contribution > 0)) continue;
    if (first === undefined || contribution > contributions[first]) {
      third = second;
      second = first;
      first = factor;
    } else if (second === undefined || contribution > contributions[second]) {
      third = second;
      second = factor;
    } else if (third === undefined || contribution > contributions[third]) {
      third = factor;
    }
  }
  if (first === undefined) return [];
  if (second === undefined) return [first];
  if (third !== undefined && contributions[third] >= THIRD_FACTOR_SHARE * contributions[second]) {
    return [first, second, third];
  }
  return [first, second];
}

function summarise(
  topFactors: readonly Factor[],
  weights: FactorWeights,
  context: ExplanationContext,
): string {
  const position = `Ranked #${context.rank}`;
  if (topFactors.length === 0) return `${position}: it scores low on every factor that counts here.`;
  const reasons = `${position} mainly for its ${joinPhrases(topFactors.map((factor) => FACTOR_PHRASES[factor]))}`;
  const { segment } = context;
  if (segment === undefined || !topFactors.every((factor) => isSegmentPriority(factor, weights))) {
    return `${reasons}.`;
  }
  const verb = topFactors.length === 1 ? 'matters' : 'matter';
  return `${reasons}, which ${verb} most to ${SEGMENT_AUDIENCES[segment]}.`;
}

/** Whether the factor is among the SEGMENT_PRIORITY_DEPTH heaviest weights, FACTORS order breaking ties. */
function isSegmentPriority(factor: Factor, weights: FactorWeights): boolean {
  const weight = weights[factor];
  // Factors ranked ahead of it: heavier, or as heavy and earlier in FACTORS.
  let ahead = 0;
  let before = true;
  for (const other of FACTORS) {
    if (other === factor) before = false;
    else if (weights[other] > weight || (before && weights[other] === weight)) ahead += 1;
  }
  return ahead < SEGMENT_PRIORITY_DEPTH;
}

function joinPhrases(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
}
