import { describe, expect, it } from 'vitest';
import { compareByRank } from './stated-vs-revealed';

describe('stated against revealed factors', () => {
  it('ranks each side on its own scale, ties sharing a rank, and measures the gap between the ranks', () => {
    const comparisons = compareByRank({
      statements: 10,
      factors: [
        { factor: 'speed', mentions: 5, statedShare: 0.5, revealedWeight: 0.3 },
        { factor: 'cost', mentions: 8, statedShare: 0.8, revealedWeight: 0.1 },
        { factor: 'quality', mentions: 5, statedShare: 0.5, revealedWeight: 0.4 },
        { factor: 'proximity', mentions: 0, statedShare: 0, revealedWeight: 0.2 },
      ],
    });
    expect(
      comparisons.map(({ factor, statedRank, revealedRank, rankGap }) => [
        factor,
        statedRank,
        revealedRank,
        rankGap,
      ]),
    ).toEqual([
      ['cost', 1, 4, 3],
      ['speed', 2, 2, 0],
      ['quality', 2, 1, -1],
      // Nobody named it: it has a revealed rank, but no stated one to compare it with.
      ['proximity', null, 3, null],
    ]);
  });

  it('has no revealed rank before the first choice', () => {
    const [cost] = compareByRank({
      statements: 1,
      factors: [{ factor: 'cost', mentions: 1, statedShare: 1, revealedWeight: null }],
    });
    expect(cost).toMatchObject({ statedRank: 1, revealedRank: null, rankGap: null });
  });
});
