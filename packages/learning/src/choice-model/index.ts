export { type BatchFit, type BatchFitOptions, fitBatch } from './batch';
export {
  accumulateChoice,
  computeProbabilities,
  createLikelihoodWorkspace,
  type LikelihoodWorkspace,
} from './likelihood';
export { logLikelihood, type PredictionMetrics, predictionMetrics } from './metrics';
export {
  createOnlineWorkspace,
  createPosterior,
  fitOnline,
  type OnlineFitOptions,
  type OnlinePosterior,
  type OnlineUpdateOptions,
  type OnlineWorkspace,
  updatePosterior,
} from './online';
export {
  assertValidChoiceSet,
  assertValidObservation,
  assertValidSpec,
  type ChoiceModelSpec,
  type ChoiceObservation,
  type ChoiceOption,
  type ChoiceSet,
  noneParameterIndex,
  offersNone,
  parameterCount,
  positionParameterCount,
  positionParameterIndex,
} from './specification';
export { type DerivedWeights, deriveWeights, type ParameterSummary, summarizeParameters } from './summary';
