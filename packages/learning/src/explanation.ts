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
 * candidate of every session.
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

/**
 * Each factor's share of a score, w_f · score_f. Always computed the same way, so that contributions rebuilt
 * from stored factor scores and weights equal, to the last bit, the ones first given.
 */
export function factorContributions(factors: FactorScores, weights: FactorWeights): FactorScores {
  return {
    cost: weights.cost * factors.cost,
    quality: weights.quality * factors.quality,
    speed: weights.speed * factors.speed,
    proximity: weights.proximity * factors.proximity,
    capability: weights.capability * factors.capability,
    reliability: weights.reliability * factors.reliability,
  };
}

function pickTopFactors(contributions: FactorScores): Factor[] {
  // FACTORS order breaks ties, so equal contributions always name the same factors.
  const ranked = FACTORS.filter((factor) => contributions[factor] > 0).sort(
    (a, b) => contributions[b] - contributions[a],
  );
  const [first, second, third] = ranked;
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
  if (segment === undefined || !areSegmentPriorities(topFactors, weights)) return `${reasons}.`;
  const verb = topFactors.length === 1 ? 'matters' : 'matter';
  return `${reasons}, which ${verb} most to ${SEGMENT_AUDIENCES[segment]}.`;
}

function areSegmentPriorities(topFactors: readonly Factor[], weights: FactorWeights): boolean {
  const heaviest = [...FACTORS].sort((a, b) => weights[b] - weights[a]).slice(0, SEGMENT_PRIORITY_DEPTH);
  return topFactors.every((factor) => heaviest.includes(factor));
}

function joinPhrases(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
}
