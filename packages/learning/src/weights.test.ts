import { FACTORS } from '@matchloop/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constrainWeights,
  projectOntoBoundedSimplex,
  validateWeights,
  WEIGHT_SUM_TOLERANCE,
} from './weights';

const bounds = { min: 0.02, max: 0.6 };
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((total, value) => total + value, 0);

describe('validateWeights', () => {
  it('accepts a complete, bounded vector summing to 1', () => {
    expect(
      validateWeights(
        { cost: 0.2, quality: 0.2, speed: 0.15, proximity: 0.1, capability: 0.2, reliability: 0.15 },
        bounds,
      ),
    ).toEqual({ valid: true, errors: [] });
  });

  it('names every problem in plain words', () => {
    const result = validateWeights({ cost: 0.7, quality: Number.NaN, speed: 0.1, colour: 0.1 }, bounds);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      '"colour" is not a factor (expected one of cost, quality, speed, proximity, capability, reliability)',
      'cost is 0.7, outside the bounds [0.02, 0.6]',
      'quality must be a finite number, got NaN',
      'proximity is missing',
      'capability is missing',
      'reliability is missing',
    ]);
  });

  it('rejects a sum off by more than 1e-9', () => {
    const weights = {
      cost: 0.2,
      quality: 0.2,
      speed: 0.15,
      proximity: 0.1,
      capability: 0.2,
      reliability: 0.15 + 2e-9,
    };
    expect(validateWeights(weights, bounds).errors).toEqual([
      `the weights sum to ${sum(Object.values(weights))}, not 1`,
    ]);
  });
});

describe('projectOntoBoundedSimplex', () => {
  const anyVector = fc.oneof(
    fc.array(fc.double({ min: 0, max: 1e300, noNaN: true }), { minLength: 6, maxLength: 6 }),
    fc.array(fc.constantFrom(0, 1), { minLength: 6, maxLength: 6 }),
    fc.array(fc.double({ min: 0, max: 1e-300, noNaN: true }), { minLength: 6, maxLength: 6 }),
  );

  it('always sums to 1 within 1e-9 and stays within the bounds', () => {
    fc.assert(
      fc.property(anyVector, (values) => {
        const projected = projectOntoBoundedSimplex(values, bounds);
        expect(Math.abs(sum(projected) - 1)).toBeLessThanOrEqual(WEIGHT_SUM_TOLERANCE);
        for (const weight of projected) {
          expect(weight).toBeGreaterThanOrEqual(bounds.min);
          expect(weight).toBeLessThanOrEqual(bounds.max);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a feasible weight vector where it is', () => {
    const feasible = fc
      .array(fc.double({ min: 0.05, max: 0.3, noNaN: true }), { minLength: 6, maxLength: 6 })
      .map((values) => values.map((value) => value / sum(values)))
      .filter((weights) => weights.every((weight) => weight >= bounds.min && weight <= bounds.max));
    fc.assert(
      fc.property(feasible, (weights) => {
        const projected = projectOntoBoundedSimplex(weights, bounds);
        projected.forEach((weight, index) => {
          expect(weight).toBeCloseTo(weights[index] as number, 12);
        });
      }),
    );
  });

  it('is the closest feasible point: no feasible pair move gets nearer', () => {
    // Moving ε of weight from i to j keeps the sum; at the projection no such move may shorten the distance.
    fc.assert(
      fc.property(anyVector, (values) => {
        const total = sum(values);
        const direction = total > 0 ? values.map((value) => value / total) : values.map(() => 1 / 6);
        const projected = projectOntoBoundedSimplex(values, bounds);
        for (let i = 0; i < 6; i++) {
          for (let j = 0; j < 6; j++) {
            const canMove =
              i !== j &&
              (projected[i] as number) > bounds.min + 1e-12 &&
              (projected[j] as number) < bounds.max - 1e-12;
            if (!canMove) continue;
            const gain =
              (direction[j] as number) -
              (projected[j] as number) -
              ((direction[i] as number) - (projected[i] as number));
            expect(gain).toBeLessThanOrEqual(1e-9);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('handles the corner cases', () => {
    expect(Array.from(projectOntoBoundedSimplex([0, 0, 0, 0, 0, 0], bounds))).toEqual(Array(6).fill(1 / 6));
    const oneHuge = projectOntoBoundedSimplex([Number.MAX_VALUE, 0, 0, 0, 0, 0], bounds);
    expect(oneHuge[0]).toBeCloseTo(0.6, 12);
    for (const weight of oneHuge.slice(1)) expect(weight).toBeCloseTo(0.08, 12);
    const allEqual = projectOntoBoundedSimplex([7, 7, 7, 7, 7, 7], bounds);
    for (const weight of allEqual) expect(weight).toBeCloseTo(1 / 6, 15);
    expect(Array.from(projectOntoBoundedSimplex([1, 2, 3], { min: 1 / 3, max: 1 / 3 }))).toEqual(
      Array(3).fill(1 / 3),
    );
  });

  it('refuses bounds no vector can meet, and inputs that are not weights', () => {
    expect(() => projectOntoBoundedSimplex([1, 1, 1, 1, 1, 1], { min: 0.2, max: 0.6 })).toThrow(
      'no 6 weights within [0.2, 0.6] can sum to 1',
    );
    expect(() => projectOntoBoundedSimplex([1, 1, 1, 1, 1, 1], { min: 0, max: 0.1 })).toThrow('6·max');
    expect(() => projectOntoBoundedSimplex([1, 1, 1, 1, 1, 1], { min: 0.3, max: 0.1 })).toThrow(
      '0 ≤ min ≤ max',
    );
    expect(() => projectOntoBoundedSimplex([1, -1, 1, 1, 1, 1], bounds)).toThrow(
      'weight 1 must be a finite non-negative',
    );
    expect(() => projectOntoBoundedSimplex([1, Number.NaN, 1, 1, 1, 1], bounds)).toThrow(
      'finite non-negative',
    );
  });
});

describe('constrainWeights', () => {
  it('works on named factors and keeps their names', () => {
    const constrained = constrainWeights(
      { cost: 0.9, quality: 0.1, speed: 0, proximity: 0, capability: 0, reliability: 0 },
      bounds,
    );
    expect(Object.keys(constrained)).toEqual([...FACTORS]);
    expect(validateWeights(constrained, bounds).valid).toBe(true);
    expect(constrained.cost).toBeCloseTo(0.6, 12);
    expect(constrained.quality).toBeGreaterThan(constrained.speed);
  });
});
