import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertThresholds,
  DEFAULT_ALERT_THRESHOLDS,
  readAlertRules,
  type SegmentLearning,
  type WindowOutcome,
} from './alert-rules';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const WEEK = 7 * DAY;

function outcome(overrides: Partial<WindowOutcome> = {}): WindowOutcome {
  return {
    segment: null,
    sessions: 100,
    conversionRate: 0.8,
    averageChosenRank: 1.5,
    averageSatisfaction: 4.2,
    ...overrides,
  };
}

function read(
  outcomes: WindowOutcome[],
  learning: SegmentLearning[] = [],
  thresholds = DEFAULT_ALERT_THRESHOLDS,
) {
  return readAlertRules(outcomes, learning, NOW, WEEK, thresholds);
}

describe('readAlertRules', () => {
  it('reads the product brief’s thresholds by default', () => {
    expect(DEFAULT_ALERT_THRESHOLDS).toMatchObject({
      minConversionRate: 0.6,
      maxAverageChosenRank: 2,
      minLearningConfidence: 0.5,
      lowConfidencePeriodMs: WEEK,
      minSatisfaction: 3.5,
      minSample: 30,
    });
  });

  it('breaches each outcome rule on the wrong side of its threshold, with value, threshold and sample', () => {
    const readings = read([
      outcome({
        segment: 'price_sensitive',
        conversionRate: 0.55,
        averageChosenRank: 2.4,
        averageSatisfaction: 3.1,
      }),
    ]);
    expect(readings).toEqual([
      expect.objectContaining({
        rule: 'low_conversion',
        segment: 'price_sensitive',
        value: 0.55,
        threshold: 0.6,
        sampleSize: 100,
        breached: true,
      }),
      expect.objectContaining({ rule: 'high_chosen_rank', value: 2.4, threshold: 2, breached: true }),
      expect.objectContaining({ rule: 'low_satisfaction', value: 3.1, threshold: 3.5, breached: true }),
    ]);
    expect(readings[0]?.message).toBe(
      'Price sensitive customers converted 55.0% over the last 7 days (100 sessions); the alert threshold is 60.0%.',
    );
  });

  it('reads a healthy window as not breached, so that firing alerts resolve', () => {
    expect(read([outcome()]).map((reading) => [reading.rule, reading.breached])).toEqual([
      ['low_conversion', false],
      ['high_chosen_rank', false],
      ['low_satisfaction', false],
    ]);
  });

  it('treats a figure exactly at its threshold as healthy', () => {
    const readings = read([outcome({ conversionRate: 0.6, averageChosenRank: 2, averageSatisfaction: 3.5 })]);
    expect(readings.every((reading) => !reading.breached)).toBe(true);
  });

  it('reads nothing on fewer sessions than the minimum sample, and nothing without a figure', () => {
    expect(read([outcome({ sessions: 29, conversionRate: 0 })])).toEqual([]);
    const noChoices = read([
      outcome({ conversionRate: 0, averageChosenRank: null, averageSatisfaction: null }),
    ]);
    expect(noChoices.map((reading) => reading.rule)).toEqual(['low_conversion']);
  });

  describe('learning confidence', () => {
    const learning = (overrides: Partial<SegmentLearning>): SegmentLearning => ({
      segment: 'balanced',
      confidence: 0.3,
      sampleSize: 200,
      lowConfidenceSince: new Date(NOW.getTime() - 8 * DAY),
      ...overrides,
    });

    it('breaches once confidence has been low for the whole period', () => {
      const [reading] = read([], [learning({})]);
      expect(reading).toMatchObject({
        rule: 'low_learning_confidence',
        segment: 'balanced',
        value: 0.3,
        threshold: 0.5,
        sampleSize: 200,
        breached: true,
      });
      expect(reading?.message).toBe(
        'Learning confidence for balanced customers is 0.30 after 200 choices and has stayed below 0.5 for at least 8 days.',
      );
    });

    it('waits while confidence has been low for less than the period', () => {
      const since = new Date(NOW.getTime() - 6 * DAY);
      expect(read([], [learning({ lowConfidenceSince: since })])[0]?.breached).toBe(false);
    });

    it('reads a confident segment as healthy, and a segment with too few choices not at all', () => {
      expect(read([], [learning({ confidence: 0.7, lowConfidenceSince: null })])[0]?.breached).toBe(false);
      expect(read([], [learning({ sampleSize: 10 })])).toEqual([]);
    });
  });

  it('breaches exactly when the figure is on the wrong side of a threshold (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          sessions: fc.integer({ min: 0, max: 1000 }),
          conversionRate: fc.double({ min: 0, max: 1, noNaN: true }),
          averageChosenRank: fc.option(fc.double({ min: 1, max: 10, noNaN: true })),
          averageSatisfaction: fc.option(fc.double({ min: 1, max: 5, noNaN: true })),
          minSample: fc.integer({ min: 1, max: 100 }),
        }),
        ({ minSample, ...figures }) => {
          const thresholds: AlertThresholds = { ...DEFAULT_ALERT_THRESHOLDS, minSample };
          const readings = read([outcome(figures)], [], thresholds);
          if (figures.sessions < minSample) return readings.length === 0;
          const byRule = new Map(readings.map((reading) => [reading.rule, reading]));
          const readsAs = (rule: string, value: number | null, breached: (v: number) => boolean) =>
            value === null
              ? !byRule.has(rule as never)
              : byRule.get(rule as never)?.breached === breached(value);
          return (
            readsAs('low_conversion', figures.conversionRate, (v) => v < 0.6) &&
            readsAs('high_chosen_rank', figures.averageChosenRank, (v) => v > 2) &&
            readsAs('low_satisfaction', figures.averageSatisfaction, (v) => v < 3.5) &&
            readings.every((reading) => reading.sampleSize === figures.sessions)
          );
        },
      ),
    );
  });
});
