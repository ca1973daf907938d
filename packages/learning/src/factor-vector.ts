import { FACTORS, type FactorScores } from '@matchloop/schemas';

/**
 * The bridge between the typed, named factor records the API speaks and the plain vectors the math runs on.
 * Vectors always follow the order of `FACTORS`.
 */

export function toFactorVector(scores: FactorScores): Float64Array {
  const vector = new Float64Array(FACTORS.length);
  FACTORS.forEach((factor, k) => {
    vector[k] = scores[factor];
  });
  return vector;
}

export function toFactorScores(vector: ArrayLike<number>): FactorScores {
  if (vector.length !== FACTORS.length) {
    throw new RangeError(`expected ${FACTORS.length} values, one per factor, got ${vector.length}`);
  }
  return {
    cost: vector[0] as number,
    quality: vector[1] as number,
    speed: vector[2] as number,
    proximity: vector[3] as number,
    capability: vector[4] as number,
    reliability: vector[5] as number,
  };
}
