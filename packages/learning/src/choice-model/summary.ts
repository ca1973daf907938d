import {
  type ChoiceModelSpec,
  noneParameterIndex,
  parameterCount,
  positionParameterCount,
} from './specification';

/** β split into a decisiveness and a direction: λ = Σβ and w = β/λ, with standard errors of w. */
export interface DerivedWeights {
  /** λ = Σβ: how sharply utility differences turn into choice probabilities. */
  readonly scale: number;
  /** w = β/λ, summing to 1. Uniform when λ = 0, since then no factor has shown any pull. */
  readonly weights: Float64Array;
  /** Delta-method standard errors of w; NaN when λ = 0 or no covariance is known. */
  readonly standardErrors: Float64Array;
}

/**
 * Derives λ and w from β and, when given, β's K×K covariance Σ. The delta method linearises w = β/Σβ with
 * Jacobian J_ia = (δ_ia − w_i)/λ, so Var(w_i) = (Σ_ii − 2·w_i·s_i + w_i²·S)/λ², where s_i is row i's sum of Σ
 * and S the sum of all of Σ.
 */
export function deriveWeights(beta: ArrayLike<number>, betaCovariance: Float64Array | null): DerivedWeights {
  const size = beta.length;
  let scale = 0;
  for (let i = 0; i < size; i++) scale += beta[i] as number;
  const weights = new Float64Array(size);
  const standardErrors = new Float64Array(size).fill(Number.NaN);
  if (!(scale > 0)) {
    weights.fill(1 / size);
    return { scale: 0, weights, standardErrors };
  }
  for (let i = 0; i < size; i++) weights[i] = (beta[i] as number) / scale;
  if (betaCovariance === null) return { scale, weights, standardErrors };

  const rowSums = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      rowSums[i] = (rowSums[i] as number) + (betaCovariance[i * size + j] as number);
    }
    total += rowSums[i] as number;
  }
  for (let i = 0; i < size; i++) {
    const w = weights[i] as number;
    const variance =
      (betaCovariance[i * size + i] as number) - 2 * w * (rowSums[i] as number) + w * w * total;
    standardErrors[i] = Math.sqrt(Math.max(0, variance)) / scale;
  }
  return { scale, weights, standardErrors };
}

/** Everything a person reading a fit wants, by parameter role rather than by position in θ. */
export interface ParameterSummary extends DerivedWeights {
  readonly beta: Float64Array;
  /** NaN when no covariance is known. */
  readonly betaStandardErrors: Float64Array;
  /** δ₂..δ_R (δ₁ = 0 is implied); empty without position effects. */
  readonly positionEffects: Float64Array;
  /** α, or null when the model has no none option. */
  readonly noneConstant: number | null;
}

/** Reads a θ (and optionally its full D×D covariance) by role. */
export function summarizeParameters(
  theta: ArrayLike<number>,
  covariance: Float64Array | null,
  spec: ChoiceModelSpec,
): ParameterSummary {
  const { factorCount } = spec;
  const dimension = parameterCount(spec);
  const beta = Float64Array.from({ length: factorCount }, (_, k) => theta[k] as number);
  const betaCovariance = covariance === null ? null : new Float64Array(factorCount * factorCount);
  const betaStandardErrors = new Float64Array(factorCount).fill(Number.NaN);
  if (covariance !== null && betaCovariance !== null) {
    for (let i = 0; i < factorCount; i++) {
      for (let j = 0; j < factorCount; j++) {
        betaCovariance[i * factorCount + j] = covariance[i * dimension + j] as number;
      }
      betaStandardErrors[i] = Math.sqrt(covariance[i * dimension + i] as number);
    }
  }
  const positionEffects = Float64Array.from(
    { length: positionParameterCount(spec) },
    (_, level) => theta[factorCount + level] as number,
  );
  const noneIndex = noneParameterIndex(spec);
  // Its own fields before the spread: see the README's "Objects on the hot paths".
  return {
    beta,
    betaStandardErrors,
    positionEffects,
    noneConstant: noneIndex >= 0 ? (theta[noneIndex] as number) : null,
    ...deriveWeights(beta, betaCovariance),
  };
}
