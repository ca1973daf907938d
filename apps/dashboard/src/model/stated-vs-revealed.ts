import type { Factor, StatedVsRevealed } from '@matchloop/sdk';

export interface FactorComparison {
  factor: Factor;
  mentions: number;
  statedShare: number;
  revealedWeight: number | null;
  /**
   * 1 = the factor customers name most often; factors named equally often share a rank. Null for a factor
   * nobody named: being last by silence is not a stated preference.
   */
  statedRank: number | null;
  /** 1 = the factor with the largest revealed weight; null before the segment's first choice. */
  revealedRank: number | null;
  /** How much further down the revealed ranking the factor sits than customers say (negative: up). */
  rankGap: number | null;
}

/** A factor this many places apart in the two rankings is called out; closer is within noise. */
export const NOTABLE_RANK_GAP = 2;

/** Competition ranking ("1, 2, 2, 4"), largest value first. */
function rankOf(value: number, all: readonly number[]): number {
  return 1 + all.filter((other) => other > value).length;
}

/**
 * Stated shares (how many customers name a factor) and revealed weights (what their choices show) are on
 * different scales, so they are compared by rank, as the contract asks: a factor customers rank first but
 * whose weight ranks fourth is a gap worth an operator's attention. Named factors come first, by stated rank.
 */
export function compareByRank(statedVsRevealed: StatedVsRevealed): FactorComparison[] {
  const shares = statedVsRevealed.factors.map((factor) => factor.statedShare);
  const weights = statedVsRevealed.factors.flatMap((factor) =>
    factor.revealedWeight === null ? [] : [factor.revealedWeight],
  );
  const comparisons = statedVsRevealed.factors.map((factor) => {
    const statedRank = factor.mentions === 0 ? null : rankOf(factor.statedShare, shares);
    const revealedRank = factor.revealedWeight === null ? null : rankOf(factor.revealedWeight, weights);
    return {
      ...factor,
      statedRank,
      revealedRank,
      rankGap: statedRank === null || revealedRank === null ? null : revealedRank - statedRank,
    };
  });
  return comparisons.sort((a, b) => (a.statedRank ?? Infinity) - (b.statedRank ?? Infinity));
}
