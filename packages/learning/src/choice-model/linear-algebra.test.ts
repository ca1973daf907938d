import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/synthetic-market';
import { choleskyFactor, choleskySolve, invertPositiveDefinite } from './linear-algebra';

function randomPositiveDefinite(n: number, random: () => number): Float64Array {
  const a = Float64Array.from({ length: n * n }, () => random() - 0.5);
  const spd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = i === j ? 0.1 : 0;
      for (let k = 0; k < n; k++) sum += (a[i * n + k] as number) * (a[j * n + k] as number);
      spd[i * n + j] = sum;
    }
  }
  return spd;
}

describe('Cholesky', () => {
  const n = 11;
  const matrix = randomPositiveDefinite(n, seededRandom(3));

  it('solves A·x = b', () => {
    const factor = new Float64Array(n * n);
    expect(choleskyFactor(matrix, n, factor)).toBe(true);
    const b = Float64Array.from({ length: n }, (_, i) => i - 5);
    const x = new Float64Array(n);
    choleskySolve(factor, n, b, x);
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += (matrix[i * n + j] as number) * (x[j] as number);
      expect(row).toBeCloseTo(b[i] as number, 9);
    }
  });

  it('inverts', () => {
    const inverse = invertPositiveDefinite(matrix, n) as Float64Array;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let product = 0;
        for (let k = 0; k < n; k++) product += (matrix[i * n + k] as number) * (inverse[k * n + j] as number);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('reports a matrix that is not positive definite', () => {
    expect(invertPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
    expect(invertPositiveDefinite(Float64Array.from([1, 1, 1, 1]), 2)).toBeNull();
    expect(invertPositiveDefinite(Float64Array.from([Number.NaN, 0, 0, 1]), 2)).toBeNull();
  });
});
