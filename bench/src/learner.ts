import {
  applyChoice,
  computeProbabilities,
  createLearner,
  createLikelihoodWorkspace,
  createOnlineWorkspace,
  createPosterior,
  DEFAULT_LEARNING_CONFIG,
  forgettingDiscount,
  type LearnerChoiceEvent,
  learnerModelSpec,
  type OnlineUpdateOptions,
  parameterCount,
  updatePosterior,
} from '@matchloop/learning';
// The learning package's seeded synthetic market: the same choices its own tests learn from.
import { type MarketSegmentTruth, seededRandom, simulateChoice } from '@matchloop/learning/testing';
import { SEGMENTS, type Segment } from '@matchloop/schemas';
import { type Benchmark, type Figure, measureThroughput } from './benchmark';

/**
 * Online learning throughput (issue 3: K = 6 factors, 10 options, goal ≥ 100,000 updates/s on one core),
 * with the product's model: position effects and a none option, as `DEFAULT_LEARNING_CONFIG` sets them.
 *
 * - learner update: `applyChoice`, what `recordChoice` runs; it updates the global and the segment posterior.
 * - posterior update: one `updatePosterior`, the O(D²) step inside it.
 * - baseline: `computeProbabilities` on the same choice sets, the least any model must do per choice.
 */

const OPTIONS_PER_SESSION = 10;
/** Choices per timed call: enough to keep the timer's cost out of the figure, few enough to stay in cache. */
const CHOICES_PER_CALL = 1024;

export const learnerBenchmark: Benchmark = {
  name: 'learner',
  async run(): Promise<Figure[]> {
    const config = DEFAULT_LEARNING_CONFIG;
    const spec = learnerModelSpec(config);
    const events = simulatedEvents(CHOICES_PER_CALL);

    const learner = createLearner(config);
    const learnerUpdate = () => {
      for (const event of events) applyChoice(learner, event, config);
    };

    const dimension = parameterCount(spec);
    const posterior = createPosterior(
      spec,
      new Float64Array(dimension),
      new Float64Array(dimension).fill(config.globalPriorPrecision),
    );
    const updateOptions: OnlineUpdateOptions = {
      discount: forgettingDiscount(config.forgettingHalfLife),
      weight: 1,
      nonNegativeFactors: true,
    };
    const onlineWorkspace = createOnlineWorkspace(spec);
    const posteriorUpdate = () => {
      for (const event of events)
        updatePosterior(posterior, spec, event.choice, updateOptions, onlineWorkspace);
    };

    // Scored at a learned θ, so that the exponentials are those of real use rather than of θ = 0.
    learnerUpdate();
    const theta = Float64Array.from(learner.global.posterior.mean);
    const likelihoodWorkspace = createLikelihoodWorkspace(spec);
    let logNormaliserSum = 0;
    const probabilities = () => {
      for (const event of events) {
        logNormaliserSum += computeProbabilities(theta, spec, event.choice, likelihoodWorkspace);
      }
    };

    const [learnerPerSecond, posteriorPerSecond, baselinePerSecond] = measureThroughput(
      [
        { name: 'learner update', operationsPerCall: CHOICES_PER_CALL, run: learnerUpdate },
        { name: 'posterior update', operationsPerCall: CHOICES_PER_CALL, run: posteriorUpdate },
        { name: 'choice probabilities', operationsPerCall: CHOICES_PER_CALL, run: probabilities },
      ],
      { timePerRound: 500, rounds: 5 },
    ) as [number, number, number];
    // Using the result keeps the engine from discarding the baseline's work as dead code.
    if (!Number.isFinite(logNormaliserSum)) throw new Error('the baseline produced a non-finite utility');

    return [
      {
        name: 'learnerUpdatesPerSecond',
        value: learnerPerSecond,
        unit: 'choices/s',
        goal: { atLeast: 100_000 },
      },
      { name: 'learnerPosteriorUpdatesPerSecond', value: posteriorPerSecond, unit: 'updates/s' },
      { name: 'learnerBaselineProbabilitiesPerSecond', value: baselinePerSecond, unit: 'choice sets/s' },
      { name: 'learnerUpdatesVsBaseline', value: learnerPerSecond / baselinePerSecond, unit: '× baseline' },
      {
        name: 'learnerPosteriorUpdatesVsBaseline',
        value: posteriorPerSecond / baselinePerSecond,
        unit: '× baseline',
      },
    ];
  },
};

/** A market with position bias and a none option, so that every part of the product's model is exercised. */
const BENCHMARK_MARKET: MarketSegmentTruth = {
  weights: [0.3, 0.2, 0.15, 0.1, 0.15, 0.1],
  scale: 6,
  positionEffects: [0, -0.3, -0.5, -0.6, -0.7],
  noneUtility: 3,
};

/** Sessions of ten options, spread over every segment so that each segment scope is updated in turn. */
function simulatedEvents(count: number): LearnerChoiceEvent[] {
  const random = seededRandom(2024);
  return Array.from({ length: count }, (_, index) => ({
    segment: SEGMENTS[index % SEGMENTS.length] as Segment,
    choice: simulateChoice(
      BENCHMARK_MARKET,
      { optionsPerSession: OPTIONS_PER_SESSION, presentationWeights: null },
      random,
    ),
    customerChoiceNumber: 1 + (index % 20),
  }));
}
