import {
  applyChoice,
  createLearner,
  DEFAULT_LEARNING_CONFIG,
  estimateScope,
  type LearningConfig,
  rankCandidates,
  serveWeights,
  toFactorScores,
  toFactorVector,
} from '@matchloop/learning';
import { FACTORS, type FactorWeights, SEGMENTS, type Segment } from '@matchloop/schemas';
import { decide } from './choice';
import { generateCustomer } from './customers';
import { createMarket, DEFAULT_MARKET_CONFIG, type MarketConfig, STREAMS } from './market';
import { Random } from './random';
import { SEGMENT_PROFILES } from './segment-profiles';
import { planSession } from './sessions';

export interface RecoveryOptions {
  readonly seed: number;
  /** Sessions (ending in a manufacturer or in none) generated for each segment. */
  readonly choicesPerSegment: number;
  /** Segments to simulate, interleaved as in a live market; all six by default. */
  readonly segments?: readonly Segment[];
  readonly market?: MarketConfig;
  readonly learning?: LearningConfig;
}

export interface SegmentRecovery {
  readonly segment: Segment;
  readonly trueWeights: FactorWeights;
  /** w = β/Σβ as the learner holds it, before blending with the defaults and before bounds. */
  readonly learnedWeights: FactorWeights;
  /** Σ |learned − true| over the six factors. */
  readonly l1Error: number;
}

export interface RecoveryReport {
  readonly choicesPerSegment: number;
  readonly segments: readonly SegmentRecovery[];
  readonly meanL1Error: number;
}

/**
 * How well the learner recovers each segment's true weights, without a server: the market's customers (a new
 * one for every session, so no customer's choices are down-weighted) choose among options ranked, as Matchloop
 * ranks them, by the weights the learner serves at that moment, and every choice is folded in at once.
 */
export function measureRecovery(options: RecoveryOptions): RecoveryReport {
  const segments = options.segments ?? SEGMENTS;
  const learning = options.learning ?? DEFAULT_LEARNING_CONFIG;
  const market = createMarket(options.seed, options.market ?? DEFAULT_MARKET_CONFIG);
  const random = Random.seeded(options.seed).fork(STREAMS.recovery);
  const learner = createLearner(learning);
  for (let n = 0; n < options.choicesPerSegment; n++) {
    for (const segment of segments) {
      const customer = generateCustomer(random, `recovery-${n}`, segment, market.config.customerVariation);
      const session = planSession(market, customer, random);
      const served = serveWeights(learner, segment, learning).values;
      const shown = rankCandidates(session.candidates, served).map(({ candidate }) => candidate);
      const { chosenIndex } = decide(market.config.behaviour, customer.trueWeights, shown, session.shocks);
      const options = shown.map((candidate, index) => ({
        factors: toFactorVector(candidate.factors),
        rank: index + 1,
      }));
      applyChoice(
        learner,
        { segment, choice: { options, chosenIndex, noneAvailable: true }, customerChoiceNumber: 1 },
        learning,
      );
    }
  }
  const recovered = segments.map((segment) => {
    const trueWeights = SEGMENT_PROFILES[segment].trueWeights;
    const estimate = estimateScope(learner, segment, learning);
    if (estimate === null) throw new Error(`the learner saw no choice for ${segment}`);
    const learnedWeights = toFactorScores(estimate.weights);
    return { segment, trueWeights, learnedWeights, l1Error: l1Distance(learnedWeights, trueWeights) };
  });
  return {
    choicesPerSegment: options.choicesPerSegment,
    segments: recovered,
    meanL1Error: recovered.reduce((sum, { l1Error }) => sum + l1Error, 0) / recovered.length,
  };
}

export function l1Distance(a: FactorWeights, b: FactorWeights): number {
  return FACTORS.reduce((sum, factor) => sum + Math.abs(a[factor] - b[factor]), 0);
}
