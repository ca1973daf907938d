import { FACTORS, SEGMENTS, type Segment } from '@matchloop/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChoiceObservation } from './choice-model/specification';
import { DEFAULT_LEARNING_CONFIG, type LearningConfig } from './defaults';
import {
  applyChoice,
  createLearner,
  forkLearner,
  type LearnerChoiceEvent,
  type LearnerState,
} from './learner';
import { deserializeLearner, serializeLearner, toSnapshot } from './learner-snapshot';
import { predictChoice, serveWeights } from './serving';
import { seededRandom } from './testing/synthetic-market';
import { WEIGHT_SUM_TOLERANCE } from './weights';

/**
 * Whatever customers do, the weights served must be a valid ranking input: summing to 1 within 1e-9, every
 * weight within the bounds, confidence in [0, 1], and the state finite and serialisable.
 */
function expectServable(state: LearnerState, config: LearningConfig): void {
  for (const segment of SEGMENTS) {
    const served = serveWeights(state, segment, config);
    const values = FACTORS.map((factor) => served.values[factor]);
    expect(Math.abs(values.reduce((sum, value) => sum + value, 0) - 1)).toBeLessThanOrEqual(
      WEIGHT_SUM_TOLERANCE,
    );
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(config.bounds.min);
      expect(value).toBeLessThanOrEqual(config.bounds.max);
    }
    expect(served.confidence).toBeGreaterThanOrEqual(0);
    expect(served.confidence).toBeLessThanOrEqual(1);
  }
  for (const scope of [state.global, ...Object.values(state.segments)]) {
    expect(scope.posterior.mean.every(Number.isFinite)).toBe(true);
    expect(scope.posterior.precision.every(Number.isFinite)).toBe(true);
  }
}

/** Adversarial ways for customers to behave; each builds the n-th choice from a seeded stream. */
const STREAMS = {
  'every customer picks rank 1': (random) => ({ ...randomChoice(random), chosenIndex: 0 }),
  'every customer picks none': (random) => ({
    ...randomChoice(random),
    chosenIndex: null,
    noneAvailable: true,
  }),
  'identical candidates': (random) => {
    const factors = FACTORS.map(() => random());
    const choice = randomChoice(random);
    return { ...choice, options: choice.options.map((option) => ({ ...option, factors })) };
  },
  'a constant factor': (random) => {
    const choice = randomChoice(random);
    return {
      ...choice,
      options: choice.options.map((option) => ({
        ...option,
        factors: Array.from(option.factors).fill(0.5, 1, 2),
      })),
    };
  },
  'extreme values only': (random) => {
    const choice = randomChoice(random);
    return {
      ...choice,
      options: choice.options.map((option) => ({
        ...option,
        factors: Array.from(option.factors, Math.round),
      })),
    };
  },
  'always the worst option': (random) => {
    const choice = randomChoice(random);
    const total = (index: number) =>
      Array.from(choice.options[index]?.factors ?? []).reduce((sum, value) => sum + value, 0);
    const worst = choice.options.reduce((best, _, index) => (total(index) < total(best) ? index : best), 0);
    return { ...choice, chosenIndex: worst };
  },
  'anything at all': randomChoice,
} satisfies Record<string, (random: () => number) => ChoiceObservation>;

function randomChoice(random: () => number): ChoiceObservation {
  const optionCount = 1 + Math.floor(random() * 10);
  const options = Array.from({ length: optionCount }, (_, index) => ({
    factors: FACTORS.map(() => random()),
    rank: index + 1,
  }));
  const noneAvailable = random() < 0.7;
  const chosenIndex = noneAvailable && random() < 0.2 ? null : Math.floor(random() * optionCount);
  return { options, chosenIndex, noneAvailable };
}

const configArbitrary: fc.Arbitrary<LearningConfig> = fc.record({
  minSampleSize: fc.integer({ min: 0, max: 60 }),
  bounds: fc
    .tuple(fc.double({ min: 0, max: 1 / 6, noNaN: true }), fc.double({ min: 1 / 6, max: 1, noNaN: true }))
    .map(([min, max]) => ({ min, max })),
  behaviourMinChoices: fc.constant(5),
  forgettingHalfLife: fc.option(fc.integer({ min: 5, max: 20_000 }), { nil: null }),
  globalPriorPrecision: fc.double({ min: 1e-3, max: 10, noNaN: true }),
  segmentPriorPrecision: fc.double({ min: 1e-3, max: 10, noNaN: true }),
  positionLevels: fc.integer({ min: 1, max: 10 }),
  noneOption: fc.constant(true),
  confidenceHalfStandardError: fc.double({ min: 1e-3, max: 0.2, noNaN: true }),
  learnedConfidence: fc.double({ min: 0.2, max: 1, noNaN: true }),
  customerChoiceCap: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
});

describe('served weights under adversarial streams', () => {
  it('stay valid whatever the stream, the segment mix and the configuration', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(STREAMS) as (keyof typeof STREAMS)[])),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 1500 }),
        fc.subarray([...SEGMENTS], { minLength: 1 }),
        fc.boolean(),
        configArbitrary,
        (stream, seed, length, segments, oneCustomer, config) => {
          const random = seededRandom(seed);
          const state = createLearner(config);
          for (let n = 1; n <= length; n++) {
            const event: LearnerChoiceEvent = {
              segment: segments[n % segments.length] as Segment,
              choice: STREAMS[stream](random),
              customerChoiceNumber: oneCustomer ? n : 1 + (n % 7),
            };
            applyChoice(state, event, config);
            if (n % 250 === 0) expectServable(state, config);
          }
          expectServable(state, config);
          const prediction = predictChoice(state, segments[0] as Segment, randomChoice(random));
          expect(prediction.options.every(Number.isFinite)).toBe(true);
          expect(serializeLearner(deserializeLearner(serializeLearner(state)))).toBe(serializeLearner(state));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each(Object.keys(STREAMS) as (keyof typeof STREAMS)[])(
    'stay valid for 5,000 choices when %s',
    (stream) => {
      const config = { ...DEFAULT_LEARNING_CONFIG, forgettingHalfLife: null };
      const random = seededRandom(stream.length);
      const state = createLearner(config);
      for (let n = 1; n <= 5000; n++) {
        applyChoice(
          state,
          { segment: 'balanced', choice: STREAMS[stream](random), customerChoiceNumber: 1 },
          config,
        );
        if (n % 500 === 0) expectServable(state, config);
      }
    },
  );

  it('stay valid over a long stream of 100,000 choices', () => {
    const config = DEFAULT_LEARNING_CONFIG;
    const random = seededRandom(100_000);
    const streams = Object.values(STREAMS);
    const state = createLearner(config);
    for (let n = 1; n <= 100_000; n++) {
      const stream = streams[Math.floor(n / 10_000) % streams.length] as (typeof streams)[number];
      applyChoice(
        state,
        {
          segment: SEGMENTS[n % SEGMENTS.length] as Segment,
          choice: stream(random),
          customerChoiceNumber: 1 + (n % 100),
        },
        config,
      );
      if (n % 10_000 === 0) expectServable(state, config);
    }
    expect(state.events).toBe(100_000);
  });
});

describe('one customer against a segment', () => {
  it('moves nothing, and makes nothing forget, once past the cap — whatever they send', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(STREAMS) as (keyof typeof STREAMS)[])),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(...SEGMENTS),
        configArbitrary.chain((config) =>
          fc.integer({ min: 1, max: 60 }).map((customerChoiceCap) => ({ ...config, customerChoiceCap })),
        ),
        (stream, seed, crowdChoices, floodChoices, segment, config) => {
          const random = seededRandom(seed);
          const state = createLearner(config);
          for (let n = 0; n < crowdChoices; n++) {
            const event = { segment, choice: randomChoice(random), customerChoiceNumber: 1 };
            applyChoice(state, event, config);
          }
          const before = toSnapshot(state);
          const served = serveWeights(state, segment, config);
          for (let n = 1; n <= floodChoices; n++) {
            const customerChoiceNumber = config.customerChoiceCap + n;
            applyChoice(state, { segment, choice: STREAMS[stream](random), customerChoiceNumber }, config);
          }
          expect({ ...toSnapshot(state), events: before.events }).toEqual(before);
          expect(serveWeights(state, segment, config)).toEqual(served);
          expect(state.events).toBe(crowdChoices + floodChoices);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a fork of the learner', () => {
  it('learns what the learner would while the learner stays as it was', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 20 }),
        configArbitrary,
        (seed, history, roundSegments, config) => {
          const random = seededRandom(seed);
          const state = createLearner(config);
          for (let n = 0; n < history; n++) {
            const segment = SEGMENTS[n % SEGMENTS.length] as Segment;
            applyChoice(state, { segment, choice: randomChoice(random), customerChoiceNumber: 1 }, config);
          }
          const before = serializeLearner(state);
          const round = roundSegments.map((segment, n) => ({
            segment,
            choice: randomChoice(random),
            importantFactors: [FACTORS[n % FACTORS.length] as (typeof FACTORS)[number]],
            customerChoiceNumber: 1 + (n % 3),
          }));
          const fork = forkLearner(state, new Set(roundSegments));
          const copy = deserializeLearner(before);
          for (const event of round) {
            applyChoice(fork, event, config);
            applyChoice(copy, event, config);
          }
          expect(serializeLearner(state)).toBe(before);
          expect(serializeLearner(fork)).toBe(serializeLearner(copy));
        },
      ),
      { numRuns: 100 },
    );
  });
});
