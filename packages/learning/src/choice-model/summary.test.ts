import { describe, expect, it } from 'vitest';
import { deriveWeights, summarizeParameters } from './summary';

describe('deriveWeights', () => {
  const beta = [4, 2, 1, 1];
  const covariance = Float64Array.from([
    0.5, 0.1, 0, 0.05, 0.1, 0.3, 0.02, 0, 0, 0.02, 0.2, 0.01, 0.05, 0, 0.01, 0.1,
  ]);

  it('splits β into scale and weights', () => {
    const derived = deriveWeights(beta, covariance);
    expect(derived.scale).toBe(8);
    expect(Array.from(derived.weights)).toEqual([0.5, 0.25, 0.125, 0.125]);
  });

  it('matches J·Σ·Jᵀ with a numerically differentiated Jacobian', () => {
    const derived = deriveWeights(beta, covariance);
    const size = beta.length;
    const h = 1e-6;
    const jacobian = Array.from({ length: size }, (_, a) => {
      const up = [...beta];
      const down = [...beta];
      up[a] = (up[a] as number) + h;
      down[a] = (down[a] as number) - h;
      const wUp = deriveWeights(up, null).weights;
      const wDown = deriveWeights(down, null).weights;
      return Array.from({ length: size }, (_, i) => ((wUp[i] as number) - (wDown[i] as number)) / (2 * h));
    });
    for (let i = 0; i < size; i++) {
      let variance = 0;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          variance +=
            (jacobian[a]?.[i] as number) *
            (covariance[a * size + b] as number) *
            (jacobian[b]?.[i] as number);
        }
      }
      expect(derived.standardErrors[i]).toBeCloseTo(Math.sqrt(variance), 8);
    }
  });

  it('falls back to uniform weights when nothing has any pull', () => {
    const derived = deriveWeights([0, 0, 0, 0], covariance);
    expect(derived.scale).toBe(0);
    expect(Array.from(derived.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(derived.standardErrors).every(Number.isNaN)).toBe(true);
  });
});

describe('summarizeParameters', () => {
  it('reads θ by role', () => {
    const spec = { factorCount: 2, positionLevels: 3, noneOption: true };
    const summary = summarizeParameters([3, 1, -0.2, -0.5, 0.7], null, spec);
    expect(Array.from(summary.beta)).toEqual([3, 1]);
    expect(Array.from(summary.weights)).toEqual([0.75, 0.25]);
    expect(Array.from(summary.positionEffects)).toEqual([-0.2, -0.5]);
    expect(summary.noneConstant).toBe(0.7);
    expect(
      summarizeParameters([3, 1], null, { factorCount: 2, positionLevels: 1, noneOption: false })
        .noneConstant,
    ).toBeNull();
  });
});
