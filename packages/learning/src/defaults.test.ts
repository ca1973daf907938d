import { FACTORS, SEGMENTS } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEARNING_CONFIG, DEFAULT_SEGMENT_WEIGHTS } from './defaults';
import { validateWeights } from './weights';

describe('DEFAULT_SEGMENT_WEIGHTS', () => {
  it.each(SEGMENTS)('%s sums to exactly 1 and sits within the default bounds', (segment) => {
    const weights = DEFAULT_SEGMENT_WEIGHTS[segment];
    expect(FACTORS.reduce((sum, factor) => sum + weights[factor], 0)).toBe(1);
    expect(validateWeights(weights, DEFAULT_LEARNING_CONFIG.bounds).errors).toEqual([]);
  });

  it('puts each segment’s emphasis where its name says', () => {
    const heaviest = (segment: (typeof SEGMENTS)[number]) =>
      [...FACTORS].sort(
        (a, b) => DEFAULT_SEGMENT_WEIGHTS[segment][b] - DEFAULT_SEGMENT_WEIGHTS[segment][a],
      )[0];
    expect(heaviest('price_sensitive')).toBe('cost');
    expect(heaviest('quality_focused')).toBe('quality');
    expect(heaviest('speed_priority')).toBe('speed');
    expect(heaviest('local_preference')).toBe('proximity');
    expect(DEFAULT_SEGMENT_WEIGHTS.premium_buyer.cost).toBeLessThan(0.05);
    const balanced = Object.values(DEFAULT_SEGMENT_WEIGHTS.balanced);
    expect(Math.max(...balanced) - Math.min(...balanced)).toBeLessThanOrEqual(0.1);
  });
});
