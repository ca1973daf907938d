import { FACTORS, type Factor, type FactorScores, SEGMENTS } from '@matchloop/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_WEIGHTS } from './defaults';
import { explain } from './explanation';
import { scoreCandidate } from './scoring';

const profile = (values: Partial<FactorScores>): FactorScores => ({
  cost: 0,
  quality: 0,
  speed: 0,
  proximity: 0,
  capability: 0,
  reliability: 0,
  ...values,
});

describe('explain', () => {
  it('splits the score into per-factor contributions', () => {
    const factors = profile({ cost: 0.5, quality: 1, reliability: 0.8 });
    const weights = DEFAULT_SEGMENT_WEIGHTS.quality_focused;
    const { contributions } = explain(factors, weights, { rank: 1 });
    expect(contributions.quality).toBeCloseTo(0.35, 15);
    expect(Object.values(contributions).reduce((sum, value) => sum + value, 0)).toBeCloseTo(
      scoreCandidate(factors, weights),
      15,
    );
  });

  it('credits the segment when its priorities explain the rank', () => {
    const explanation = explain(
      profile({ quality: 0.9, reliability: 0.9, cost: 0.2 }),
      DEFAULT_SEGMENT_WEIGHTS.quality_focused,
      { rank: 1, segment: 'quality_focused' },
    );
    expect(explanation.topFactors).toEqual(['quality', 'reliability']);
    expect(explanation.summary).toBe(
      'Ranked #1 mainly for its quality and reliability, which matter most to quality-focused buyers.',
    );
  });

  it('names a close third factor, in plain words', () => {
    const explanation = explain(
      profile({ cost: 1, quality: 1, capability: 1 }),
      DEFAULT_SEGMENT_WEIGHTS.balanced,
      { rank: 2, segment: 'balanced' },
    );
    expect(explanation.topFactors).toEqual(['cost', 'quality', 'capability']);
    expect(explanation.summary).toBe(
      'Ranked #2 mainly for its cost-efficiency, quality and technical fit, which matter most to buyers without one overriding priority.',
    );
  });

  it('does not claim the segment cares about what it does not', () => {
    const explanation = explain(
      profile({ speed: 1, proximity: 1 }),
      DEFAULT_SEGMENT_WEIGHTS.quality_focused,
      { rank: 4, segment: 'quality_focused' },
    );
    expect(explanation.summary).toBe('Ranked #4 mainly for its speed and proximity.');
  });

  it('handles a single factor and an empty profile', () => {
    const weights = DEFAULT_SEGMENT_WEIGHTS.price_sensitive;
    expect(explain(profile({ cost: 1 }), weights, { rank: 1, segment: 'price_sensitive' }).summary).toBe(
      'Ranked #1 mainly for its cost-efficiency, which matters most to price-sensitive buyers.',
    );
    const empty = explain(profile({}), weights, { rank: 7 });
    expect(empty.topFactors).toEqual([]);
    expect(empty.summary).toBe('Ranked #7: it scores low on every factor that counts here.');
  });

  it('names the largest contributions, and credits the segment only for its heaviest weights', () => {
    // Scores from a few values, so that ties between factors are common.
    const scores = fc.record(
      Object.fromEntries(FACTORS.map((factor) => [factor, fc.constantFrom(0, 0.25, 0.5, 1)])) as Record<
        Factor,
        fc.Arbitrary<number>
      >,
    );
    fc.assert(
      fc.property(scores, scores, fc.constantFrom(...SEGMENTS), (factors, rawWeights, segment) => {
        const total = FACTORS.reduce((sum, factor) => sum + rawWeights[factor], 0) || 1;
        const weights = Object.fromEntries(
          FACTORS.map((factor) => [factor, rawWeights[factor] / total]),
        ) as FactorScores;
        const { contributions, topFactors, summary } = explain(factors, weights, { rank: 1, segment });
        // Largest first, FACTORS order breaking ties, as a stable sort puts them; a third only when close.
        const byContribution = FACTORS.filter((factor) => contributions[factor] > 0).sort(
          (a, b) => contributions[b] - contributions[a],
        );
        const [, second, third] = byContribution;
        const namesThird =
          second !== undefined && third !== undefined && contributions[third] >= 0.75 * contributions[second];
        expect(topFactors).toEqual(byContribution.slice(0, namesThird ? 3 : 2));
        const heaviest = [...FACTORS].sort((a, b) => weights[b] - weights[a]).slice(0, 3);
        const credited = topFactors.length > 0 && topFactors.every((factor) => heaviest.includes(factor));
        expect(summary.includes(', which matter')).toBe(credited);
      }),
    );
  });
});
