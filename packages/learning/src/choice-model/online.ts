import { accumulateChoice, createLikelihoodWorkspace, type LikelihoodWorkspace } from './likelihood';
import { choleskyFactor, choleskySolve, mirrorLowerTriangle } from './linear-algebra';
import {
  assertValidObservation,
  type ChoiceModelSpec,
  type ChoiceObservation,
  parameterCount,
} from './specification';

/**
 * Online Bayesian (Laplace) learning of the choice model, after Chapelle & Li (2011).
 *
 * The posterior over θ is kept as a Gaussian N(m, P⁻¹). Each choice contributes its Fisher information at the
 * current mean and one Newton step from it:
 *   P ← P + I(m),   m ← m + P⁻¹ ∇ℓ(m).
 * Because the logit's Hessian does not depend on which option was chosen, P after one pass is the batch
 * fit's observed information evaluated along the path, and m tracks the maximum-likelihood estimate closely.
 * The cost per choice is one D×D Cholesky factorisation plus O(alternatives · D²) accumulation, with D
 * around ten, and nothing is allocated.
 */
export interface OnlinePosterior {
  readonly mean: Float64Array;
  /** Full symmetric D×D precision, row-major. */
  readonly precision: Float64Array;
  /** The mean the prior is currently centred on; a hierarchical parent moves it. */
  readonly priorMean: Float64Array;
  /** Diagonal of the prior precision: the floor that forgetting decays back towards. */
  readonly priorPrecision: Float64Array;
  /** Choices seen, however they were weighted or forgotten. */
  sampleSize: number;
}

export interface OnlineUpdateOptions {
  /**
   * Per-update forgetting γ in (0, 1]: before each choice, P ← γ·P + (1 − γ)·P₀, so old evidence loses weight
   * geometrically (half-life ln 2 / −ln γ choices) and the model can follow drift. 1 never forgets.
   */
  readonly discount: number;
  /** How much this choice counts, in [0, 1]; scales its gradient and information. */
  readonly weight: number;
  /** Keep every factor coefficient β ≥ 0 (a better score never makes an option less attractive). */
  readonly nonNegativeFactors: boolean;
  /**
   * Re-centre the prior on this mean before the step. The shift's pull on the posterior, P₀·(new − old), is
   * folded into the same Newton step, which is exact for the Gaussian part and costs nothing extra.
   */
  readonly priorMean?: ArrayLike<number>;
}

/** Scratch space for `updatePosterior`; one per thread of updates, reused across calls. */
export interface OnlineWorkspace extends LikelihoodWorkspace {
  readonly step: Float64Array;
  readonly choleskyFactor: Float64Array;
}

export function createOnlineWorkspace(spec: ChoiceModelSpec): OnlineWorkspace {
  const dimension = parameterCount(spec);
  return {
    ...createLikelihoodWorkspace(spec),
    step: new Float64Array(dimension),
    choleskyFactor: new Float64Array(dimension * dimension),
  };
}

/** A posterior that is all prior: mean `priorMean`, precision diag(`priorPrecision`). */
export function createPosterior(
  spec: ChoiceModelSpec,
  priorMean: ArrayLike<number>,
  priorPrecision: ArrayLike<number>,
): OnlinePosterior {
  const dimension = parameterCount(spec);
  if (priorMean.length !== dimension || priorPrecision.length !== dimension) {
    throw new RangeError(`prior mean and precision must both have ${dimension} entries`);
  }
  for (let i = 0; i < dimension; i++) {
    if (!Number.isFinite(priorMean[i])) throw new RangeError(`prior mean ${i} is not finite`);
    const precision = priorPrecision[i] as number;
    // A zero prior precision would leave P singular until every direction has been observed.
    if (!(precision > 0 && Number.isFinite(precision))) {
      throw new RangeError(`prior precision ${i} must be a positive finite number, got ${precision}`);
    }
  }
  const precision = new Float64Array(dimension * dimension);
  for (let i = 0; i < dimension; i++) precision[i * dimension + i] = priorPrecision[i] as number;
  return {
    mean: Float64Array.from(priorMean),
    precision,
    priorMean: Float64Array.from(priorMean),
    priorPrecision: Float64Array.from(priorPrecision),
    sampleSize: 0,
  };
}

/**
 * Folds one choice into the posterior IN PLACE (its typed arrays are mutated; nothing else is touched) and
 * returns the log-probability the model gave that choice before learning from it, which makes a single pass
 * also an honest out-of-sample score. The observation must have passed `assertValidObservation`.
 */
export function updatePosterior(
  posterior: OnlinePosterior,
  spec: ChoiceModelSpec,
  observation: ChoiceObservation,
  options: OnlineUpdateOptions,
  workspace: OnlineWorkspace,
): number {
  const { mean, precision, priorMean, priorPrecision } = posterior;
  const dimension = mean.length;
  const { step } = workspace;

  const { discount } = options;
  if (discount < 1) {
    // The lower triangle only: the update works on it, and the upper one is mirrored from it at the end.
    for (let i = 0; i < dimension; i++) {
      const row = i * dimension;
      for (let j = 0; j < i; j++) precision[row + j] = discount * (precision[row + j] as number);
      precision[row + i] =
        discount * (precision[row + i] as number) + (1 - discount) * (priorPrecision[i] as number);
    }
  }

  step.fill(0);
  if (options.priorMean !== undefined) {
    for (let i = 0; i < dimension; i++) {
      const target = options.priorMean[i] as number;
      step[i] = (priorPrecision[i] as number) * (target - (priorMean[i] as number));
      priorMean[i] = target;
    }
  }

  const logProbability = accumulateChoice(
    mean,
    spec,
    observation,
    options.weight,
    workspace,
    step,
    precision,
  );
  mirrorLowerTriangle(precision, dimension);
  if (!choleskyFactor(precision, dimension, workspace.choleskyFactor)) {
    throw new Error('posterior precision is no longer positive definite');
  }
  choleskySolve(workspace.choleskyFactor, dimension, step, step);
  for (let i = 0; i < dimension; i++) mean[i] = (mean[i] as number) + (step[i] as number);
  if (options.nonNegativeFactors) {
    for (let k = 0; k < spec.factorCount; k++) if ((mean[k] as number) < 0) mean[k] = 0;
  }
  posterior.sampleSize += 1;
  return logProbability;
}

export interface OnlineFitOptions {
  /**
   * Prior precision of every parameter around a zero mean. Default 0.01, a standard deviation of 10: weak
   * next to any real data set, yet enough to keep the first Newton steps finite.
   */
  readonly priorPrecision?: number;
  readonly discount?: number;
  readonly nonNegativeFactors?: boolean;
}

/** One pass of `updatePosterior` over the observations, in order, from a zero-mean prior. */
export function fitOnline(
  observations: readonly ChoiceObservation[],
  spec: ChoiceModelSpec,
  options: OnlineFitOptions = {},
): OnlinePosterior {
  const dimension = parameterCount(spec);
  const posterior = createPosterior(
    spec,
    new Float64Array(dimension),
    new Float64Array(dimension).fill(options.priorPrecision ?? 0.01),
  );
  const updateOptions: OnlineUpdateOptions = {
    discount: options.discount ?? 1,
    weight: 1,
    nonNegativeFactors: options.nonNegativeFactors ?? true,
  };
  const workspace = createOnlineWorkspace(spec);
  for (const observation of observations) {
    assertValidObservation(observation, spec);
    updatePosterior(posterior, spec, observation, updateOptions, workspace);
  }
  return posterior;
}
