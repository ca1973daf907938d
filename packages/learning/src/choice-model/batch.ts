import { accumulateChoice, createLikelihoodWorkspace } from './likelihood';
import { choleskyFactor, choleskySolve, invertPositiveDefinite, mirrorLowerTriangle } from './linear-algebra';
import { logLikelihood } from './metrics';
import {
  assertValidObservation,
  type ChoiceModelSpec,
  type ChoiceObservation,
  parameterCount,
} from './specification';

/**
 * Batch maximum-likelihood fit of the conditional logit by projected Newton–Raphson.
 *
 * The log-likelihood is concave, so Newton with a backtracking line search converges from θ = 0 in a handful
 * of iterations. β ≥ 0 is enforced by the projected-Newton active set: a coefficient sitting at 0 whose
 * gradient pushes it further down is held at 0, and the Newton step is taken over the others.
 */
export interface BatchFitOptions {
  /** L2 penalty ½·ridge·‖θ‖², which makes separable or degenerate data fittable. Default 0 (plain MLE). */
  readonly ridge?: number;
  /** Default true. */
  readonly nonNegativeFactors?: boolean;
  readonly maxIterations?: number;
  /** Stop when the Newton decrement gᵀH⁻¹g falls below this. Default 1e-12. */
  readonly tolerance?: number;
}

export interface BatchFit {
  readonly parameters: Float64Array;
  /** Inverse of the (penalised) information at the optimum, D×D row-major; null if it is singular. */
  readonly covariance: Float64Array | null;
  /** √diag(covariance); NaN when the covariance is null (some parameter is not identified by the data). */
  readonly standardErrors: Float64Array;
  readonly logLikelihood: number;
  /** At θ = 0: every alternative equally likely. */
  readonly nullLogLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const ARMIJO_FRACTION = 1e-4;
const MAX_HALVINGS = 60;

export function fitBatch(
  observations: readonly ChoiceObservation[],
  spec: ChoiceModelSpec,
  options: BatchFitOptions = {},
): BatchFit {
  for (const observation of observations) assertValidObservation(observation, spec);
  const ridge = options.ridge ?? 0;
  const nonNegative = options.nonNegativeFactors ?? true;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-12;
  const dimension = parameterCount(spec);
  const workspace = createLikelihoodWorkspace(spec);

  const theta = new Float64Array(dimension);
  const gradient = new Float64Array(dimension);
  const information = new Float64Array(dimension * dimension);
  const candidate = new Float64Array(dimension);

  const penalisedObjective = (parameters: Float64Array): number => {
    let total = 0;
    for (const observation of observations) {
      total += accumulateChoice(parameters, spec, observation, 1, workspace, null, null);
    }
    return total - 0.5 * ridge * squaredNorm(parameters);
  };

  const evaluateDerivatives = (): number => {
    gradient.fill(0);
    information.fill(0);
    let total = 0;
    for (const observation of observations) {
      total += accumulateChoice(theta, spec, observation, 1, workspace, gradient, information);
    }
    mirrorLowerTriangle(information, dimension);
    for (let i = 0; i < dimension; i++) {
      gradient[i] = (gradient[i] as number) - ridge * (theta[i] as number);
      information[i * dimension + i] = (information[i * dimension + i] as number) + ridge;
    }
    return total - 0.5 * ridge * squaredNorm(theta);
  };

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const objective = evaluateDerivatives();
    const free = freeParameters(theta, gradient, spec, nonNegative);
    const direction = newtonDirection(information, gradient, free, dimension);
    const decrement = free.reduce((sum, i) => sum + (gradient[i] as number) * (direction[i] as number), 0);
    if (decrement < tolerance) {
      converged = true;
      break;
    }
    iterations += 1;
    let stepSize = 1;
    let accepted = false;
    for (let halving = 0; halving < MAX_HALVINGS; halving++) {
      let predictedGain = 0;
      for (let i = 0; i < dimension; i++) {
        let value = (theta[i] as number) + stepSize * (direction[i] as number);
        if (nonNegative && i < spec.factorCount && value < 0) value = 0;
        candidate[i] = value;
        predictedGain += (gradient[i] as number) * (value - (theta[i] as number));
      }
      if (penalisedObjective(candidate) >= objective + ARMIJO_FRACTION * predictedGain) {
        accepted = true;
        break;
      }
      stepSize /= 2;
    }
    // No step improves the objective any more: we are at the optimum to machine precision.
    if (!accepted) {
      converged = true;
      break;
    }
    theta.set(candidate);
  }

  evaluateDerivatives();
  const covariance = invertPositiveDefinite(information, dimension);
  const standardErrors = new Float64Array(dimension);
  for (let i = 0; i < dimension; i++) {
    standardErrors[i] = covariance === null ? Number.NaN : Math.sqrt(covariance[i * dimension + i] as number);
  }
  return {
    parameters: theta,
    covariance,
    standardErrors,
    logLikelihood: logLikelihood(theta, spec, observations),
    nullLogLikelihood: logLikelihood(new Float64Array(dimension), spec, observations),
    iterations,
    converged,
  };
}

/** Parameters the Newton step may move: all but factor coefficients pinned at the β ≥ 0 bound. */
function freeParameters(
  theta: Float64Array,
  gradient: Float64Array,
  spec: ChoiceModelSpec,
  nonNegative: boolean,
): number[] {
  const free: number[] = [];
  for (let i = 0; i < theta.length; i++) {
    const pinned = nonNegative && i < spec.factorCount && theta[i] === 0 && (gradient[i] as number) <= 0;
    if (!pinned) free.push(i);
  }
  return free;
}

/**
 * Solves H_FF·d_F = g_F over the free set F (zero elsewhere). When H_FF is singular, for example because a
 * factor never varies within a choice set, a growing multiple of the identity is added (Levenberg) so the
 * step stays well defined and simply leaves the unidentified direction alone.
 */
function newtonDirection(
  information: Float64Array,
  gradient: Float64Array,
  free: readonly number[],
  dimension: number,
): Float64Array {
  const size = free.length;
  const reduced = new Float64Array(size * size);
  const factor = new Float64Array(size * size);
  const rightHandSide = new Float64Array(size);
  for (let damping = 0; ; damping = damping === 0 ? 1e-10 : damping * 10) {
    for (let a = 0; a < size; a++) {
      const row = free[a] as number;
      rightHandSide[a] = gradient[row] as number;
      for (let b = 0; b < size; b++) {
        reduced[a * size + b] = information[row * dimension + (free[b] as number)] as number;
      }
      reduced[a * size + a] = (reduced[a * size + a] as number) + damping;
    }
    if (choleskyFactor(reduced, size, factor)) break;
    if (damping > 1e12) throw new Error('the information matrix is not finite; check the factor values');
  }
  choleskySolve(factor, size, rightHandSide, rightHandSide);
  const direction = new Float64Array(dimension);
  free.forEach((index, a) => {
    direction[index] = rightHandSide[a] as number;
  });
  return direction;
}

function squaredNorm(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return sum;
}
