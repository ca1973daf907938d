import { scoreCandidate } from '@matchloop/learning';
import type { Candidate, FactorWeights } from '@matchloop/schemas';

/**
 * How customers choose: a random-utility model, the very process the learner's conditional logit describes.
 * Option j shown at rank r has utility λ·(w·f_j) + δ_r + ε_j and walking away has α + ε_0, with ε standard
 * Gumbel; the customer takes the highest. That makes p_j = exp V_j / Σ exp V exactly, so the learner can
 * recover w (up to the individual variation of customers within a segment).
 */
export interface ChoiceBehaviour {
  /** λ: utility per unit of weighted score. Large means decisive buyers who rarely take a clearly worse offer. */
  readonly decisiveness: number;
  /** δ_r for ranks 1, 2, …; δ_1 = 0 and deeper ranks share the last entry, as in the learner's model. */
  readonly positionEffects: readonly number[];
  /** α: the utility of choosing none of the options (keep looking elsewhere, or drop the project). */
  readonly noneUtility: number;
}

/** The random part of a customer's taste in one session, drawn before anything is shown. */
export interface TasteShocks {
  /** ε per manufacturer, so a draw belongs to the option, whatever rank the server gives it. */
  readonly options: ReadonlyMap<string, number>;
  readonly none: number;
}

export interface Decision {
  /** Index in the shown list of the option taken, or null for none. */
  readonly chosenIndex: number | null;
  /** λ·(w·f) of each shown option, in shown order: how good it truly is for this customer. */
  readonly values: readonly number[];
  /** Full utility (value, position effect and shock) of each shown option, in shown order. */
  readonly utilities: readonly number[];
}

export function positionEffect(behaviour: ChoiceBehaviour, rank: number): number {
  const effects = behaviour.positionEffects;
  return effects[Math.min(rank, effects.length) - 1] ?? 0;
}

/** λ·(w·f): an option's value to a customer with weights w, before position and noise. */
export function optionValue(behaviour: ChoiceBehaviour, weights: FactorWeights, option: Candidate): number {
  return behaviour.decisiveness * scoreCandidate(option.factors, weights);
}

/** The customer's pick among `shown`, listed in the order they were shown (rank 1 first). */
export function decide(
  behaviour: ChoiceBehaviour,
  weights: FactorWeights,
  shown: readonly Candidate[],
  shocks: TasteShocks,
): Decision {
  const values = shown.map((option) => optionValue(behaviour, weights, option));
  const utilities = shown.map(
    (option, index) =>
      (values[index] as number) +
      positionEffect(behaviour, index + 1) +
      shockOf(shocks, option.manufacturerId),
  );
  let chosenIndex: number | null = null;
  let best = behaviour.noneUtility + shocks.none;
  utilities.forEach((utility, index) => {
    if (utility > best) {
      best = utility;
      chosenIndex = index;
    }
  });
  return { chosenIndex, values, utilities };
}

function shockOf(shocks: TasteShocks, manufacturerId: string): number {
  const shock = shocks.options.get(manufacturerId);
  if (shock === undefined) throw new Error(`No taste shock was drawn for manufacturer ${manufacturerId}`);
  return shock;
}
