import type { ChoiceCsv } from './choice-csv';
import { fitBatch } from './choice-model/batch';
import { logLikelihood, type PredictionMetrics, predictionMetrics } from './choice-model/metrics';
import { fitOnline } from './choice-model/online';
import type { ChoiceModelSpec, ChoiceObservation } from './choice-model/specification';
import { type ParameterSummary, summarizeParameters } from './choice-model/summary';
import { DEFAULT_LEARNING_CONFIG } from './defaults';

/**
 * `matchloop evaluate`: fit the choice model to a training choice log, both by batch maximum likelihood and
 * by the single online pass the product runs, and score the batch fit on held-out sessions.
 *
 * The model is specified from the data, so that published studies are fitted as they were published: the
 * none option exists only if some training session chose none (a forced-choice study has no α), and
 * position effects only on request, since most studies present their alternatives in no meaningful order.
 */

export interface ChoiceModelEvaluationOptions {
  /**
   * Fit position effects δ for ranks 2..R, with R the deepest rank in the training data but no deeper than
   * the product's own model (`DEFAULT_LEARNING_CONFIG.positionLevels`). Off by default.
   */
  readonly positionEffects: boolean;
}

export interface FittedChoiceModel {
  /** Weights, scale, position effects and none constant, with factors in `factorNames` order. */
  readonly summary: ParameterSummary;
  /** Σ log p(chosen) over the training sessions. */
  readonly trainLogLikelihood: number;
}

export interface ChoiceModelEvaluation {
  /** The factor columns, in file order; every per-factor array of the report follows it. */
  readonly factorNames: readonly string[];
  readonly spec: ChoiceModelSpec;
  readonly trainSessions: number;
  readonly batch: FittedChoiceModel & {
    /** Σ log p(chosen) at θ = 0, where every alternative is equally likely. */
    readonly nullLogLikelihood: number;
    readonly converged: boolean;
  };
  /**
   * One pass of the online update over the training sessions in file order, from `fitOnline`'s weak prior
   * and without forgetting, so that it is held to the same data as the batch fit. No standard errors.
   */
  readonly online: FittedChoiceModel;
  /** The batch fit's predictions on the test sessions; null when there is no test set. */
  readonly test: PredictionMetrics | null;
}

/** The train and test files do not make one study, so the model of one cannot score the other. */
export class ChoiceEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChoiceEvaluationError';
  }
}

export function evaluateChoiceModel(
  train: ChoiceCsv,
  test: ChoiceCsv | null,
  options: ChoiceModelEvaluationOptions,
): ChoiceModelEvaluation {
  const trainObservations = train.sessions.map((session) => session.observation);
  const spec = evaluationModelSpec(train.factorNames.length, trainObservations, options);
  const batchFit = fitBatch(trainObservations, spec);
  const onlinePosterior = fitOnline(trainObservations, spec);
  return {
    factorNames: train.factorNames,
    spec,
    trainSessions: trainObservations.length,
    batch: {
      summary: summarizeParameters(batchFit.parameters, batchFit.covariance, spec),
      trainLogLikelihood: batchFit.logLikelihood,
      nullLogLikelihood: batchFit.nullLogLikelihood,
      converged: batchFit.converged,
    },
    online: {
      summary: summarizeParameters(onlinePosterior.mean, null, spec),
      trainLogLikelihood: logLikelihood(onlinePosterior.mean, spec, trainObservations),
    },
    test:
      test === null
        ? null
        : predictionMetrics(batchFit.parameters, spec, testObservations(test, train.factorNames, spec)),
  };
}

function evaluationModelSpec(
  factorCount: number,
  trainObservations: readonly ChoiceObservation[],
  options: ChoiceModelEvaluationOptions,
): ChoiceModelSpec {
  let deepestRank = 1;
  for (const observation of trainObservations) {
    for (const option of observation.options) deepestRank = Math.max(deepestRank, option.rank);
  }
  return {
    factorCount,
    positionLevels: options.positionEffects
      ? Math.min(deepestRank, DEFAULT_LEARNING_CONFIG.positionLevels)
      : 1,
    noneOption: trainObservations.some((observation) => observation.chosenIndex === null),
  };
}

/**
 * The test sessions as the training study saw its own: whether none was on offer is a property of the
 * study, so a test file in which everyone happened to choose still has none among its alternatives.
 */
function testObservations(
  test: ChoiceCsv,
  trainFactorNames: readonly string[],
  spec: ChoiceModelSpec,
): ChoiceObservation[] {
  const sameColumns =
    test.factorNames.length === trainFactorNames.length &&
    test.factorNames.every((name, k) => name === trainFactorNames[k]);
  if (!sameColumns) {
    throw new ChoiceEvaluationError(
      `the test file's factor columns (${test.factorNames.join(', ')}) differ from the training file's ` +
        `(${trainFactorNames.join(', ')})`,
    );
  }
  return test.sessions.map((session) => {
    if (session.observation.chosenIndex === null && !spec.noneOption) {
      throw new ChoiceEvaluationError(
        `test session ${session.sessionId} (line ${session.firstLine}) chose none, but no training ` +
          'session did, so the model has no none option',
      );
    }
    return { ...session.observation, noneAvailable: spec.noneOption };
  });
}
