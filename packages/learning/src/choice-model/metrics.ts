import { accumulateChoice, createLikelihoodWorkspace } from './likelihood';
import {
  assertValidObservation,
  type ChoiceModelSpec,
  type ChoiceObservation,
  offersNone,
} from './specification';

/** Σ log p(chosen) over the observations. */
export function logLikelihood(
  theta: ArrayLike<number>,
  spec: ChoiceModelSpec,
  observations: readonly ChoiceObservation[],
): number {
  const workspace = createLikelihoodWorkspace(spec);
  let total = 0;
  for (const observation of observations) {
    assertValidObservation(observation, spec);
    total += accumulateChoice(theta, spec, observation, 1, workspace, null, null);
  }
  return total;
}

/** How well θ predicts held-out sessions. */
export interface PredictionMetrics {
  readonly sessions: number;
  /** Mean log-probability of what was chosen; −log(alternatives) is the uniform baseline. */
  readonly meanLogLikelihood: number;
  /** Share of sessions whose choice (none included) had the highest predicted probability. */
  readonly top1: number;
  /** Mean of 1 / (position of the choice when alternatives are sorted by predicted probability). */
  readonly mrr: number;
}

/**
 * Scores predictions on held-out sessions. A choice tied with other alternatives counts at the best of the
 * tied positions, so identical options are not a miss.
 */
export function predictionMetrics(
  theta: ArrayLike<number>,
  spec: ChoiceModelSpec,
  observations: readonly ChoiceObservation[],
): PredictionMetrics {
  const workspace = createLikelihoodWorkspace(spec);
  let logLikelihoodSum = 0;
  let hits = 0;
  let reciprocalRankSum = 0;
  for (const observation of observations) {
    assertValidObservation(observation, spec);
    logLikelihoodSum += accumulateChoice(theta, spec, observation, 1, workspace, null, null);
    const { probabilities } = workspace;
    const alternativeCount = observation.options.length + (offersNone(spec, observation) ? 1 : 0);
    const chosenAlternative = observation.chosenIndex ?? observation.options.length;
    const chosenProbability = probabilities[chosenAlternative] as number;
    let predictedRank = 1;
    for (let a = 0; a < alternativeCount; a++) {
      if ((probabilities[a] as number) > chosenProbability) predictedRank += 1;
    }
    if (predictedRank === 1) hits += 1;
    reciprocalRankSum += 1 / predictedRank;
  }
  const sessions = observations.length;
  return {
    sessions,
    meanLogLikelihood: sessions === 0 ? 0 : logLikelihoodSum / sessions,
    top1: sessions === 0 ? 0 : hits / sessions,
    mrr: sessions === 0 ? 0 : reciprocalRankSum / sessions,
  };
}
