import { FACTORS, type FactorScores, type FactorWeights } from '@matchloop/schemas';

/** A candidate's score under a weight vector: Σ_f w_f · score_f, in [0, 1] when the weights sum to 1. */
export function scoreCandidate(factors: FactorScores, weights: FactorWeights): number {
  let score = 0;
  for (const factor of FACTORS) score += weights[factor] * factors[factor];
  return score;
}

export interface RankedCandidate<T> {
  readonly candidate: T;
  /** Position in the input list. */
  readonly index: number;
  /** 1 = best. */
  readonly rank: number;
  readonly score: number;
}

/**
 * Orders candidates by score, best first. Equal scores keep their input order, so the caller's own
 * ordering (often the matching engine's relevance) breaks ties and the result is reproducible.
 */
export function rankCandidates<T extends { readonly factors: FactorScores }>(
  candidates: readonly T[],
  weights: FactorWeights,
): RankedCandidate<T>[] {
  return candidates
    .map((candidate, index) => ({ candidate, index, score: scoreCandidate(candidate.factors, weights) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ candidate, index, score }, position) => ({ candidate, index, rank: position + 1, score }));
}
