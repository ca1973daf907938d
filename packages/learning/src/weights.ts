import { FACTORS, type FactorWeights } from '@matchloop/schemas';
import { toFactorScores, toFactorVector } from './factor-vector';

/** Per-factor limits on a served weight, so that no factor is ever ignored or allowed to dominate alone. */
export interface WeightBounds {
  readonly min: number;
  readonly max: number;
}

/** How far from 1 a weight vector's sum may drift through floating-point rounding. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

export interface WeightValidation {
  readonly valid: boolean;
  /** One readable sentence per problem; empty when valid. */
  readonly errors: readonly string[];
}

/**
 * Checks that a weight record names every factor (and nothing else) with a finite value within `bounds`,
 * and that the values sum to 1 within `WEIGHT_SUM_TOLERANCE`.
 */
export function validateWeights(
  weights: Readonly<Record<string, unknown>>,
  bounds: WeightBounds,
): WeightValidation {
  const errors: string[] = [];
  const known = new Set<string>(FACTORS);
  for (const key of Object.keys(weights)) {
    if (!known.has(key)) errors.push(`"${key}" is not a factor (expected one of ${FACTORS.join(', ')})`);
  }
  let sum = 0;
  for (const factor of FACTORS) {
    const value = weights[factor];
    if (value === undefined) {
      errors.push(`${factor} is missing`);
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push(`${factor} must be a finite number, got ${String(value)}`);
    } else {
      sum += value;
      if (value < bounds.min || value > bounds.max) {
        errors.push(`${factor} is ${value}, outside the bounds [${bounds.min}, ${bounds.max}]`);
      }
    }
  }
  if (errors.length === 0 && Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    errors.push(`the weights sum to ${sum}, not 1`);
  }
  return { valid: errors.length === 0, errors };
}

/** Throws unless some weight vector of `dimension` entries can satisfy `bounds` and sum to 1. */
export function assertFeasibleBounds(bounds: WeightBounds, dimension: number): void {
  const { min, max } = bounds;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && min <= max)) {
    throw new RangeError(`weight bounds must satisfy 0 ≤ min ≤ max, got [${min}, ${max}]`);
  }
  if (dimension * min > 1 + WEIGHT_SUM_TOLERANCE || dimension * max < 1 - WEIGHT_SUM_TOLERANCE) {
    throw new RangeError(
      `no ${dimension} weights within [${min}, ${max}] can sum to 1 (need ${dimension}·min ≤ 1 ≤ ${dimension}·max)`,
    );
  }
}

/**
 * The closest point, in Euclidean distance, to the direction of `values` within
 * { w : Σw = 1, min ≤ w ≤ max }.
 *
 * `values` is first rescaled to sum to 1, because only its direction means anything (a β vector, a blend, or
 * raw weights all qualify); all zeros count as "no preference" and become uniform. The projection is then
 * exact rather than iterative: w_i = clamp(v_i − τ, min, max), where Σ clamp(v_i − τ) is piecewise linear and
 * non-increasing in τ, so τ is found on the segment between two consecutive breakpoints v_i − max, v_i − min.
 */
export function projectOntoBoundedSimplex(values: ArrayLike<number>, bounds: WeightBounds): Float64Array {
  const dimension = values.length;
  assertFeasibleBounds(bounds, dimension);
  const { min, max } = bounds;
  // A vector that already satisfies every constraint is its own projection; returning it untouched keeps
  // documented weights such as 0.1 from coming back as 0.09999999999999998.
  if (isWithinConstraints(values, bounds)) return Float64Array.from(values);
  const direction = normalisedDirection(values);
  const clampedSum = (shift: number): number => {
    let sum = 0;
    for (const value of direction) sum += Math.min(max, Math.max(min, value - shift));
    return sum;
  };
  const breakpoints = Array.from(direction, (value) => [value - max, value - min])
    .flat()
    .sort((a, b) => a - b);

  // Below the first breakpoint every entry sits at max (sum ≥ 1); above the last, every entry sits at min.
  let shift = breakpoints[breakpoints.length - 1] as number;
  let upper = breakpoints[0] as number;
  let upperSum = clampedSum(upper);
  for (let b = 1; b < breakpoints.length; b++) {
    const lower = breakpoints[b] as number;
    const lowerSum = clampedSum(lower);
    if (lowerSum <= 1) {
      shift =
        upperSum === lowerSum ? lower : upper + ((upperSum - 1) / (upperSum - lowerSum)) * (lower - upper);
      break;
    }
    upper = lower;
    upperSum = lowerSum;
  }
  return direction.map((value) => Math.min(max, Math.max(min, value - shift)));
}

/** `projectOntoBoundedSimplex` for a named factor record: the weights to serve, given any preferences. */
export function constrainWeights(values: FactorWeights, bounds: WeightBounds): FactorWeights {
  return toFactorScores(projectOntoBoundedSimplex(toFactorVector(values), bounds));
}

function isWithinConstraints(values: ArrayLike<number>, { min, max }: WeightBounds): boolean {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!(value >= min && value <= max)) return false;
    sum += value;
  }
  return Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE;
}

function normalisedDirection(values: ArrayLike<number>): Float64Array {
  const direction = Float64Array.from(values);
  let largest = 0;
  for (const [index, value] of direction.entries()) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`weight ${index} must be a finite non-negative number, got ${value}`);
    }
    largest = Math.max(largest, value);
  }
  if (largest === 0) return direction.fill(1 / direction.length);
  // Dividing by the largest entry first keeps the sum finite even for values near Number.MAX_VALUE.
  let sum = 0;
  for (let i = 0; i < direction.length; i++) {
    direction[i] = (direction[i] as number) / largest;
    sum += direction[i] as number;
  }
  for (let i = 0; i < direction.length; i++) direction[i] = (direction[i] as number) / sum;
  return direction;
}
