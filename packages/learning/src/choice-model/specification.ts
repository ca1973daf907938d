/**
 * What one recommendation session looks like to the choice model, and how the parameter vector θ is laid out.
 *
 * θ = [β₁..β_K, δ₂..δ_R, α]: factor coefficients, position effects for presented ranks 2..R (δ₁ = 0 is the
 * reference, and ranks deeper than R share δ_R), and the utility of choosing none. Position effects and the
 * none option are both optional, so that the model can also reproduce published fits that have neither.
 */

/** One option as it was shown: its factor scores (any number of columns, in a fixed order) and its rank. */
export interface ChoiceOption {
  readonly factors: ArrayLike<number>;
  /** Presented position, 1 = top. */
  readonly rank: number;
}

/** What a customer was shown: the options, and whether walking away was a real alternative. */
export interface ChoiceSet {
  readonly options: readonly ChoiceOption[];
  /** A forced-choice study sets this to false. */
  readonly noneAvailable: boolean;
}

/** One session's outcome: which shown option the customer picked, or `null` for none. */
export interface ChoiceObservation extends ChoiceSet {
  readonly chosenIndex: number | null;
}

export interface ChoiceModelSpec {
  /** K, the number of factor columns. */
  readonly factorCount: number;
  /**
   * R, the number of presented positions with their own effect: ranks 2..R each get a δ, deeper ranks share
   * δ_R. 1 disables position effects.
   */
  readonly positionLevels: number;
  /** Whether the model has a "none" alternative with utility α. */
  readonly noneOption: boolean;
}

/** Number of parameters in θ. */
export function parameterCount(spec: ChoiceModelSpec): number {
  return spec.factorCount + positionParameterCount(spec) + (spec.noneOption ? 1 : 0);
}

export function positionParameterCount(spec: ChoiceModelSpec): number {
  return Math.max(0, spec.positionLevels - 1);
}

/** Index in θ of the position effect for `rank`, or -1 for the reference position (or no position effects). */
export function positionParameterIndex(spec: ChoiceModelSpec, rank: number): number {
  const level = Math.min(rank, spec.positionLevels);
  return level >= 2 ? spec.factorCount + level - 2 : -1;
}

/** Index in θ of α, or -1 when the model has no none option. */
export function noneParameterIndex(spec: ChoiceModelSpec): number {
  return spec.noneOption ? spec.factorCount + positionParameterCount(spec) : -1;
}

/** Whether "none" is one of the alternatives of this observation under this model. */
export function offersNone(spec: ChoiceModelSpec, choiceSet: ChoiceSet): boolean {
  return spec.noneOption && choiceSet.noneAvailable;
}

export function assertValidSpec(spec: ChoiceModelSpec): void {
  if (!Number.isInteger(spec.factorCount) || spec.factorCount < 1) {
    throw new RangeError(`factorCount must be a positive integer, got ${spec.factorCount}`);
  }
  if (!Number.isInteger(spec.positionLevels) || spec.positionLevels < 1) {
    throw new RangeError(`positionLevels must be a positive integer, got ${spec.positionLevels}`);
  }
}

/** Rejects a choice set the model cannot score: no options, bad ranks, or factor values of the wrong shape. */
export function assertValidChoiceSet(choiceSet: ChoiceSet, spec: ChoiceModelSpec): void {
  const { options } = choiceSet;
  if (options.length === 0) throw new RangeError('a choice needs at least one option');
  for (let index = 0; index < options.length; index++) {
    const option = options[index] as ChoiceOption;
    if (!Number.isInteger(option.rank) || option.rank < 1) {
      throw new RangeError(`option ${index}: rank must be a positive integer, got ${option.rank}`);
    }
    if (option.factors.length !== spec.factorCount) {
      throw new RangeError(
        `option ${index}: expected ${spec.factorCount} factor values, got ${option.factors.length}`,
      );
    }
    for (let k = 0; k < spec.factorCount; k++) {
      if (!Number.isFinite(option.factors[k])) {
        throw new RangeError(`option ${index}: factor ${k} is not a finite number`);
      }
    }
  }
}

/**
 * Rejects an observation the model cannot learn from, with a message that says why. The likelihood kernel
 * trusts its input, so everything that enters from outside goes through here first.
 */
export function assertValidObservation(observation: ChoiceObservation, spec: ChoiceModelSpec): void {
  assertValidChoiceSet(observation, spec);
  const { options, chosenIndex } = observation;
  if (chosenIndex === null) {
    if (!observation.noneAvailable) throw new RangeError('chose none, but none was not available');
    if (!spec.noneOption) throw new RangeError('chose none, but the model has no none option');
  } else if (!Number.isInteger(chosenIndex) || chosenIndex < 0 || chosenIndex >= options.length) {
    throw new RangeError(`chosenIndex ${chosenIndex} is not one of the ${options.length} options`);
  }
}
