export {
  type ChoiceBehaviour,
  type Decision,
  decide,
  optionValue,
  positionEffect,
  type TasteShocks,
} from './choice';
export { type Customer, type CustomerVariation, generateCustomer } from './customers';
export {
  runSimulation,
  type SegmentLearningReport,
  type SimulationOptions,
  type SimulationProgress,
  type SimulationReport,
} from './driver';
export { type Engagement, engage, type SessionInteraction, type SessionOutcome } from './engagement';
export { type Location, proximity } from './geography';
export type { Manufacturer } from './manufacturers';
export { createMarket, DEFAULT_MARKET_CONFIG, type Market, type MarketConfig } from './market';
export { OutcomeTally, type TalliedFigures } from './outcomes';
export { Random } from './random';
export {
  l1Distance,
  measureRecovery,
  type RecoveryOptions,
  type RecoveryReport,
  type SegmentRecovery,
} from './recovery';
export {
  type BlockReport,
  type CompletedSession,
  type CounterfactualReport,
  type RunFigures,
  RunTally,
} from './run-tally';
export { SEGMENT_PROFILES, type SegmentProfile } from './segment-profiles';
export { type PlannedSession, type Project, planMarketSession, planSession } from './sessions';
