import {
  type ChoiceModelSpec,
  type ChoiceObservation,
  type ChoiceOption,
  type ChoiceSet,
  noneParameterIndex,
  offersNone,
  parameterCount,
  positionParameterIndex,
} from './specification';

/**
 * The conditional-logit kernel: choice probabilities, and one observation's log-likelihood, gradient and
 * Fisher information. Every fit, update and metric in this package goes through these two functions, so the
 * model is defined in exactly one place.
 *
 * Each alternative a has a design vector x_a in θ space: [f_a, one-hot position, 0] for a shown option and
 * [0, 0, 1] for none. Then V_a = θ·x_a, p_a = softmax(V)_a, and for the chosen c:
 *   ∂ℓ/∂θ = x_c − x̄,   I = Σ_a p_a (x_a − x̄)(x_a − x̄)ᵀ,   with x̄ = Σ_a p_a x_a.
 * The design vectors are never materialised: they are sparse, and this runs per choice.
 */

/** Scratch buffers for the kernel, sized for a spec and grown on demand for longer choice sets. */
export interface LikelihoodWorkspace {
  /** After a call: p_a for each shown option in order, then p_none when none is offered. */
  probabilities: Float64Array;
  readonly meanDesign: Float64Array;
  /** Factor values, factor-major: all options' first factor, then all options' second, … */
  factorColumns: Float64Array;
  /** The same, each scaled by its option's probability. */
  weightedColumns: Float64Array;
  /** Each option's position parameter index, -1 for the reference position. */
  positionByOption: Int32Array;
}

export function createLikelihoodWorkspace(spec: ChoiceModelSpec): LikelihoodWorkspace {
  const dimension = parameterCount(spec);
  return {
    probabilities: new Float64Array(16),
    meanDesign: new Float64Array(dimension),
    factorColumns: new Float64Array(16 * spec.factorCount),
    weightedColumns: new Float64Array(16 * spec.factorCount),
    positionByOption: new Int32Array(16),
  };
}

/**
 * Writes the choice probabilities into `workspace.probabilities` (shown options, then none when offered) and
 * returns log Σ exp V, which turns any utility into a log-probability.
 */
export function computeProbabilities(
  theta: ArrayLike<number>,
  spec: ChoiceModelSpec,
  choiceSet: ChoiceSet,
  workspace: LikelihoodWorkspace,
): number {
  const { options } = choiceSet;
  const optionCount = options.length;
  const alternativeCount = optionCount + (offersNone(spec, choiceSet) ? 1 : 0);
  if (workspace.probabilities.length < alternativeCount) {
    workspace.probabilities = new Float64Array(
      Math.max(alternativeCount, 2 * workspace.probabilities.length),
    );
  }
  const probabilities = workspace.probabilities;
  let maxUtility = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < alternativeCount; a++) {
    const utility =
      a < optionCount ? optionUtility(theta, spec, options[a] as ChoiceOption) : noneUtility(theta, spec);
    probabilities[a] = utility;
    if (utility > maxUtility) maxUtility = utility;
  }
  // Shifting by the largest utility keeps exp() finite however decisive θ becomes.
  let total = 0;
  for (let a = 0; a < alternativeCount; a++) {
    const shifted = Math.exp((probabilities[a] as number) - maxUtility);
    probabilities[a] = shifted;
    total += shifted;
  }
  for (let a = 0; a < alternativeCount; a++) probabilities[a] = (probabilities[a] as number) / total;
  return maxUtility + Math.log(total);
}

/**
 * Adds `weight` × one observation's gradient into `gradient` and `weight` × its Fisher information into the
 * LOWER triangle of `information` (row-major D×D; callers mirror once they have finished accumulating).
 * Either target may be null when it is not needed. Returns the unweighted log-probability of the choice.
 * The observation must have passed `assertValidObservation`.
 */
export function accumulateChoice(
  theta: ArrayLike<number>,
  spec: ChoiceModelSpec,
  observation: ChoiceObservation,
  weight: number,
  workspace: LikelihoodWorkspace,
  gradient: Float64Array | null,
  information: Float64Array | null,
): number {
  const logNormaliser = computeProbabilities(theta, spec, observation, workspace);
  const { options, chosenIndex } = observation;
  const chosen = chosenIndex === null ? null : (options[chosenIndex] as ChoiceOption);
  const logProbability =
    (chosen === null ? noneUtility(theta, spec) : optionUtility(theta, spec, chosen)) - logNormaliser;
  if (gradient === null && information === null) return logProbability;

  const { probabilities, meanDesign } = workspace;
  const { factorCount } = spec;
  const dimension = meanDesign.length;
  const noneIndex = noneParameterIndex(spec);
  const hasNone = offersNone(spec, observation);
  const optionCount = options.length;

  meanDesign.fill(0);
  for (let a = 0; a < optionCount; a++) {
    const option = options[a] as ChoiceOption;
    const p = probabilities[a] as number;
    for (let k = 0; k < factorCount; k++) {
      meanDesign[k] = (meanDesign[k] as number) + p * (option.factors[k] as number);
    }
    const position = positionParameterIndex(spec, option.rank);
    if (position >= 0) meanDesign[position] = (meanDesign[position] as number) + p;
  }
  if (hasNone) meanDesign[noneIndex] = probabilities[optionCount] as number;

  if (gradient !== null) {
    for (let i = 0; i < dimension; i++) {
      gradient[i] = (gradient[i] as number) - weight * (meanDesign[i] as number);
    }
    if (chosen === null) {
      gradient[noneIndex] = (gradient[noneIndex] as number) + weight;
    } else {
      for (let k = 0; k < factorCount; k++) {
        gradient[k] = (gradient[k] as number) + weight * (chosen.factors[k] as number);
      }
      const position = positionParameterIndex(spec, chosen.rank);
      if (position >= 0) gradient[position] = (gradient[position] as number) + weight;
    }
  }

  if (information !== null) accumulateInformation(spec, observation, weight, workspace, information);
  return logProbability;
}

function optionUtility(theta: ArrayLike<number>, spec: ChoiceModelSpec, option: ChoiceOption): number {
  let utility = 0;
  for (let k = 0; k < spec.factorCount; k++) utility += (theta[k] as number) * (option.factors[k] as number);
  const position = positionParameterIndex(spec, option.rank);
  return position >= 0 ? utility + (theta[position] as number) : utility;
}

function noneUtility(theta: ArrayLike<number>, spec: ChoiceModelSpec): number {
  return theta[noneParameterIndex(spec)] as number;
}

/**
 * Adds `weight` × I = Σ_a p_a x_a x_aᵀ − x̄ x̄ᵀ into the lower triangle of `information`, after
 * `accumulateChoice` has set the probabilities and x̄. Each entry is summed over the options in a register
 * and written once: with ten options and a dozen parameters, adding every option's outer product into
 * memory in turn cost more than the arithmetic. Positions and none are indicators, so their block of the
 * raw second moment is diagonal and equals x̄ there; only the factor block and the position × factor block
 * need sums over options.
 */
function accumulateInformation(
  spec: ChoiceModelSpec,
  observation: ChoiceObservation,
  weight: number,
  workspace: LikelihoodWorkspace,
  information: Float64Array,
): void {
  const { options } = observation;
  const { factorCount } = spec;
  const { probabilities, meanDesign } = workspace;
  const dimension = meanDesign.length;
  const optionCount = options.length;
  reserveOptionBuffers(workspace, factorCount, optionCount);
  const { factorColumns: columns, weightedColumns: weighted, positionByOption } = workspace;
  for (let a = 0; a < optionCount; a++) {
    const option = options[a] as ChoiceOption;
    const p = probabilities[a] as number;
    for (let k = 0; k < factorCount; k++) {
      const value = option.factors[k] as number;
      columns[k * optionCount + a] = value;
      weighted[k * optionCount + a] = p * value;
    }
    positionByOption[a] = positionParameterIndex(spec, option.rank);
  }
  for (let i = 0; i < factorCount; i++) {
    const row = i * dimension;
    const weightedRow = i * optionCount;
    const meanI = meanDesign[i] as number;
    for (let j = 0; j <= i; j++) {
      const column = j * optionCount;
      let moment = 0;
      for (let a = 0; a < optionCount; a++) {
        moment += (weighted[weightedRow + a] as number) * (columns[column + a] as number);
      }
      information[row + j] =
        (information[row + j] as number) + weight * (moment - meanI * (meanDesign[j] as number));
    }
  }
  for (let a = 0; a < optionCount; a++) {
    const position = positionByOption[a] as number;
    if (position < 0) continue;
    const row = position * dimension;
    for (let k = 0; k < factorCount; k++) {
      information[row + k] =
        (information[row + k] as number) + weight * (weighted[k * optionCount + a] as number);
    }
  }
  for (let i = factorCount; i < dimension; i++) {
    const row = i * dimension;
    const scaledMean = weight * (meanDesign[i] as number);
    for (let j = 0; j < i; j++) {
      information[row + j] = (information[row + j] as number) - scaledMean * (meanDesign[j] as number);
    }
    information[row + i] = (information[row + i] as number) + scaledMean * (1 - (meanDesign[i] as number));
  }
}

/** Grows the workspace's per-option buffers, when they are too small, to hold `optionCount` options. */
function reserveOptionBuffers(
  workspace: LikelihoodWorkspace,
  factorCount: number,
  optionCount: number,
): void {
  if (workspace.positionByOption.length >= optionCount) return;
  const capacity = Math.max(optionCount, 2 * workspace.positionByOption.length);
  workspace.factorColumns = new Float64Array(factorCount * capacity);
  workspace.weightedColumns = new Float64Array(factorCount * capacity);
  workspace.positionByOption = new Int32Array(capacity);
}
