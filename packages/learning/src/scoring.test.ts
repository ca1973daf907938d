import type { FactorScores } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_WEIGHTS } from './defaults';
import { rankCandidates, scoreCandidate } from './scoring';

const profile = (overrides: Partial<FactorScores>): FactorScores => ({
  cost: 0.5,
  quality: 0.5,
  speed: 0.5,
  proximity: 0.5,
  capability: 0.5,
  reliability: 0.5,
  ...overrides,
});

describe('scoreCandidate', () => {
  it('is the weighted sum of the factor scores', () => {
    const weights = DEFAULT_SEGMENT_WEIGHTS.price_sensitive;
    expect(scoreCandidate(profile({ cost: 1, quality: 0 }), weights)).toBeCloseTo(0.4 + 0 + 0.5 * 0.45, 15);
    expect(scoreCandidate(profile({}), weights)).toBeCloseTo(0.5, 15);
  });
});

describe('rankCandidates', () => {
  it('puts the best score first and numbers ranks from 1', () => {
    const candidates = [
      { manufacturerId: 'cheap', factors: profile({ cost: 1, quality: 0.2 }) },
      { manufacturerId: 'solid', factors: profile({ quality: 1, reliability: 1 }) },
      { manufacturerId: 'average', factors: profile({}) },
    ];
    const ranked = rankCandidates(candidates, DEFAULT_SEGMENT_WEIGHTS.quality_focused);
    expect(ranked.map((entry) => [entry.candidate.manufacturerId, entry.rank, entry.index])).toEqual([
      ['solid', 1, 1],
      ['average', 2, 2],
      ['cheap', 3, 0],
    ]);
    expect(ranked[0]?.score).toBeCloseTo(
      scoreCandidate(candidates[1]?.factors as FactorScores, DEFAULT_SEGMENT_WEIGHTS.quality_focused),
      15,
    );
  });

  it('keeps input order among equal scores', () => {
    const same = profile({});
    const candidates = ['a', 'b', 'c', 'd'].map((manufacturerId) => ({ manufacturerId, factors: same }));
    expect(
      rankCandidates(candidates, DEFAULT_SEGMENT_WEIGHTS.balanced).map(
        (entry) => entry.candidate.manufacturerId,
      ),
    ).toEqual(['a', 'b', 'c', 'd']);
  });
});
