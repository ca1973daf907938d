import { FACTORS, type Segment } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import type { ChoiceObservation } from './choice-model/specification';
import { DEFAULT_LEARNING_CONFIG, DEFAULT_SEGMENT_WEIGHTS, type LearningConfig } from './defaults';
import { applyChoice, createLearner, type LearnerChoiceEvent, replay } from './learner';
import { deserializeLearner, serializeLearner, toSnapshot } from './learner-snapshot';
import { behaviourModels, estimateScope, predictChoice, serveWeights } from './serving';
import { statedVsRevealed } from './stated-vs-revealed';
import { type MarketSegmentTruth, seededRandom, simulateChoice } from './testing/synthetic-market';

const config = DEFAULT_LEARNING_CONFIG;
const positionBias = [0, -0.3, -0.5, -0.6, -0.7];
// Decisive B2B buyers: a 0.1 better weighted score multiplies the odds of being chosen by e^1.5 ≈ 4.5.
const qualityTruth: MarketSegmentTruth = {
  weights: [0.1, 0.35, 0.1, 0.05, 0.15, 0.25],
  scale: 15,
  positionEffects: positionBias,
  noneUtility: 9,
};
const priceTruth: MarketSegmentTruth = { ...qualityTruth, weights: [0.45, 0.1, 0.15, 0.1, 0.1, 0.1] };
// Options are shown ranked by the balanced defaults, so position and quality are confounded as in production.
const presentation = {
  optionsPerSession: 10,
  presentationWeights: FACTORS.map((f) => DEFAULT_SEGMENT_WEIGHTS.balanced[f]),
};

function* market(
  segments: readonly (readonly [Segment, MarketSegmentTruth])[],
  choicesEach: number,
  seed: number,
) {
  const random = seededRandom(seed);
  for (let n = 0; n < choicesEach; n++) {
    for (const [segment, truth] of segments) {
      const event: LearnerChoiceEvent = {
        segment,
        choice: simulateChoice(truth, presentation, random),
        customerChoiceNumber: 1,
      };
      yield event;
    }
  }
}

function l1Error(
  state: ReturnType<typeof createLearner>,
  segment: Segment,
  truth: MarketSegmentTruth,
): number {
  const estimate = estimateScope(state, segment, config);
  return Array.from(estimate?.weights ?? []).reduce(
    (sum, weight, k) => sum + Math.abs(weight - (truth.weights[k] as number)),
    0,
  );
}

describe('learning from choices', () => {
  it('recovers a segment’s true weights to an L1 error of 0.05 within 2,000 choices', () => {
    const errors = [1, 2, 3, 4, 5].map((seed) =>
      l1Error(
        replay(market([['quality_focused', qualityTruth]], 2000, seed), config),
        'quality_focused',
        qualityTruth,
      ),
    );
    expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThanOrEqual(0.05);
    for (const error of errors) expect(error).toBeLessThan(0.07);
  });

  it('learns each segment on its own while the global scope sees the whole market', () => {
    const state = replay(
      market(
        [
          ['quality_focused', qualityTruth],
          ['price_sensitive', priceTruth],
        ],
        2000,
        9,
      ),
      config,
    );
    expect(l1Error(state, 'quality_focused', qualityTruth)).toBeLessThan(0.08);
    expect(l1Error(state, 'price_sensitive', priceTruth)).toBeLessThan(0.08);
    expect(l1Error(state, 'quality_focused', priceTruth)).toBeGreaterThan(0.6);
    const globalCost = estimateScope(state, 'global', config)?.weights[0] as number;
    expect(globalCost).toBeGreaterThan(0.15);
    expect(globalCost).toBeLessThan(0.4);
    expect(state.global.posterior.sampleSize).toBe(4000);
    expect(state.events).toBe(4000);
  });

  it('starts a new segment at the global weights', () => {
    const state = replay(market([['price_sensitive', priceTruth]], 1000, 4), config);
    const first = market([['speed_priority', qualityTruth]], 1, 5).next().value as LearnerChoiceEvent;
    applyChoice(state, first, config);
    const global = estimateScope(state, 'global', config)?.weights as Float64Array;
    const young = estimateScope(state, 'speed_priority', config)?.weights as Float64Array;
    global.forEach((weight, k) => {
      expect(Math.abs(weight - (young[k] as number))).toBeLessThan(0.02);
    });
  });
});

describe('serving', () => {
  const history = [...market([['quality_focused', qualityTruth]], 3000, 21)];
  const servedAfter = (count: number, overrides: Partial<LearningConfig> = {}) =>
    serveWeights(replay(history.slice(0, count), { ...config, ...overrides }), 'quality_focused', {
      ...config,
      ...overrides,
    });

  it('serves the defaults until the minimum sample size, then blends, then trusts what it learned', () => {
    expect(servedAfter(0)).toMatchObject({ source: 'default', confidence: 0, sampleSize: 0, learned: null });
    expect(servedAfter(0).values).toEqual(DEFAULT_SEGMENT_WEIGHTS.quality_focused);
    expect(servedAfter(29).source).toBe('default');
    expect(servedAfter(30).source).toBe('blended');
    expect(servedAfter(3000).source).toBe('learned');
  });

  it('has confidence that grows with evidence and stays low for a handful of choices', () => {
    const confidences = [5, 30, 100, 300, 1000, 3000].map((count) => servedAfter(count).confidence);
    expect(confidences[0]).toBeLessThan(0.5);
    confidences.slice(1).forEach((confidence, i) => {
      expect(confidence).toBeGreaterThan(confidences[i] as number);
    });
    for (const confidence of confidences) expect(confidence).toBeLessThan(1);
  });

  it('blends learned and default weights by confidence, then applies the bounds', () => {
    const served = servedAfter(100);
    expect(served.source).toBe('blended');
    const learned = served.learned as Record<string, number>;
    for (const factor of FACTORS) {
      const blended =
        served.confidence * (learned[factor] as number) +
        (1 - served.confidence) * DEFAULT_SEGMENT_WEIGHTS.quality_focused[factor];
      expect(served.values[factor]).toBeCloseTo(Math.min(0.6, Math.max(0.02, blended)), 2);
    }
  });

  it('predicts choice probabilities, none included', () => {
    const state = replay(history, config);
    const choice = history[0]?.choice as ChoiceObservation;
    const prediction = predictChoice(state, 'quality_focused', choice);
    const total = Array.from(prediction.options).reduce((sum, p) => sum + p, prediction.none as number);
    expect(total).toBeCloseTo(1, 12);
    expect(prediction.options[0]).toBeGreaterThan(prediction.options[9] as number);
    expect(predictChoice(state, 'quality_focused', { ...choice, noneAvailable: false }).none).toBeNull();
  });

  it('offers only segments with enough evidence for behavioural segmentation', () => {
    const state = replay(history.slice(0, 40), config);
    applyChoice(state, { ...(history[0] as LearnerChoiceEvent), segment: 'balanced' }, config);
    expect(Object.keys(behaviourModels(state, config).parameters)).toEqual(['quality_focused']);
  });
});

describe('stated versus revealed preferences', () => {
  it('tallies what customers say without moving the weights', () => {
    const events = [...market([['quality_focused', qualityTruth]], 200, 31)];
    const silent = replay(events, config);
    const talkative = replay(
      events.map((event, i) => ({
        ...event,
        importantFactors: i % 2 === 0 ? (['cost', 'speed'] as const) : (['cost'] as const),
      })),
      config,
    );
    expect(Array.from(talkative.segments.quality_focused?.posterior.mean ?? [])).toEqual(
      Array.from(silent.segments.quality_focused?.posterior.mean ?? []),
    );
    const comparison = statedVsRevealed(talkative, 'quality_focused', config);
    expect(comparison.statements).toBe(200);
    expect(comparison.factors.find((row) => row.factor === 'cost')).toMatchObject({
      mentions: 200,
      statedShare: 1,
    });
    expect(comparison.factors.find((row) => row.factor === 'speed')).toMatchObject({
      mentions: 100,
      statedShare: 0.5,
    });
    expect(comparison.factors.find((row) => row.factor === 'quality')?.revealedWeight).toBeGreaterThan(0.2);
    expect(statedVsRevealed(talkative, 'balanced', config).factors[0]).toEqual({
      factor: 'cost',
      mentions: 0,
      statedShare: 0,
      revealedWeight: null,
    });
  });
});

describe('resistance to one loud customer', () => {
  const cap = config.customerChoiceCap as number;
  const crowd = [...market([['quality_focused', qualityTruth]], 1000, 41)];
  const proximityFan: MarketSegmentTruth = { ...qualityTruth, weights: [0, 0, 0, 1, 0, 0] };
  const flood = [...market([['quality_focused', proximityFan]], 10_000, 42)].map((event, i) => ({
    ...event,
    customerChoiceNumber: i + 1,
  }));
  /** The loud customer's choices spread through the crowd's, from the start. */
  function withFlood(floodChoices: number): LearnerChoiceEvent[] {
    const sent = flood.slice(0, floodChoices);
    const every = Math.max(1, Math.floor(sent.length / crowd.length));
    return crowd
      .flatMap((event, i) => [event, ...sent.slice(i * every, (i + 1) * every)])
      .concat(sent.slice(crowd.length * every));
  }
  function servedShift(events: readonly LearnerChoiceEvent[]): number {
    const honest = serveWeights(replay(crowd, config), 'quality_focused', config).values;
    const flooded = serveWeights(replay(events, config), 'quality_focused', config).values;
    return Math.max(...FACTORS.map((factor) => Math.abs(flooded[factor] - honest[factor])));
  }

  it(`lets 10,000 choices from one customer move a segment no further than its first ${cap} do`, () => {
    const atCap = servedShift(withFlood(cap));
    const flooded = servedShift(withFlood(10_000));
    expect(flooded).toBeLessThanOrEqual(atCap + 1e-12);
    // What the cap buys in a segment of 1,000 honest choices: a few hundredths on any one factor, where the
    // same choices from 10,000 different customers would drag it half-way to the loud customer's taste.
    expect(atCap).toBeLessThan(0.05);
    const fromManyCustomers = withFlood(10_000).map((event) => ({ ...event, customerChoiceNumber: 1 }));
    expect(servedShift(fromManyCustomers)).toBeGreaterThan(0.3);
  });

  it('neither learns from nor forgets because of the choices beyond the cap', () => {
    const state = replay(withFlood(cap), config);
    const before = toSnapshot(state);
    for (const event of flood.slice(cap, cap + 500)) applyChoice(state, event, config);
    expect({ ...toSnapshot(state), events: before.events }).toEqual(before);
    expect(state.events).toBe(before.events + 500);
  });
});

describe('replay', () => {
  const events = [
    ...market(
      [
        ['quality_focused', qualityTruth],
        ['price_sensitive', priceTruth],
      ],
      300,
      51,
    ),
  ];

  it('gives byte-identical state for the same log', () => {
    expect(serializeLearner(replay(events, config))).toBe(serializeLearner(replay(events, config)));
  });

  it('resumes from a snapshot exactly where the fold left off', () => {
    const restored = deserializeLearner(serializeLearner(replay(events.slice(0, 250), config)));
    for (const event of events.slice(250)) applyChoice(restored, event, config);
    expect(serializeLearner(restored)).toBe(serializeLearner(replay(events, config)));
  });

  it('rejects events and snapshots that do not make sense', () => {
    const state = createLearner(config);
    const event = events[0] as LearnerChoiceEvent;
    expect(() => applyChoice(state, { ...event, customerChoiceNumber: 0 }, config)).toThrow(
      'customerChoiceNumber',
    );
    expect(() => applyChoice(state, { ...event, segment: 'vip' as Segment }, config)).toThrow(
      'unknown segment "vip"',
    );
    expect(() =>
      applyChoice(state, { ...event, choice: { ...event.choice, chosenIndex: 10 } }, config),
    ).toThrow('chosenIndex 10 is not one of the 10 options');
    expect(state.events).toBe(0);
    const snapshot = JSON.parse(serializeLearner(replay(events.slice(0, 3), config)));
    snapshot.global.mean.pop();
    expect(() => deserializeLearner(JSON.stringify(snapshot))).toThrow(
      'scope global: mean must be 11 finite numbers',
    );
  });
});
