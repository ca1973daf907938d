import {
  type ComplexityFigures,
  type DailyFigures,
  FACTORS,
  type OutcomeFigures,
  SEGMENTS,
  type Segment,
  type StatedVsRevealed,
  type WeightsSourceFigures,
} from '@matchloop/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_WEIGHTS } from './defaults';
import { DEFAULT_INSIGHT_OPTIONS, deriveInsights, type InsightFigures } from './insights';

function figures(
  sessions: number,
  conversionRate: number | null,
  overrides: Partial<OutcomeFigures> = {},
): OutcomeFigures {
  return {
    sessions,
    choices: conversionRate === null ? 0 : Math.round(sessions * conversionRate),
    conversionRate,
    averageChosenRank: 1.5,
    chosenRankDistribution: [],
    averageSatisfaction: 4,
    averageDecisionTimeSeconds: 60,
    averageHelpfulRating: null,
    interactionsPerSession: { viewed: 1, expanded: 0, compared: 0, contacted: 0 },
    ...overrides,
  };
}

const NO_STATEMENTS: StatedVsRevealed = {
  statements: 0,
  factors: FACTORS.map((factor) => ({ factor, mentions: 0, statedShare: 0, revealedWeight: null })),
};

function segmentRow(segment: Segment, outcome: OutcomeFigures, statedVsRevealed = NO_STATEMENTS) {
  return {
    segment,
    ...outcome,
    learningConfidence: 0.6,
    sampleSize: outcome.choices,
    statedVsRevealed,
    servedWeights: DEFAULT_SEGMENT_WEIGHTS[segment],
  };
}

function input(overrides: Partial<InsightFigures> = {}): InsightFigures {
  return {
    overall: figures(600, 0.75),
    bySegment: SEGMENTS.map((segment) => segmentRow(segment, figures(100, 0.75))),
    byComplexity: [] as ComplexityFigures[],
    byWeightsSource: [] as WeightsSourceFigures[],
    daily: [] as DailyFigures[],
    ...overrides,
  };
}

function day(date: string, sessions: number, averageSatisfaction: number | null): DailyFigures {
  return { date, sessions, choices: sessions, conversionRate: 1, averageChosenRank: 1, averageSatisfaction };
}

describe('deriveInsights', () => {
  it('finds nothing to say about an even, healthy marketplace', () => {
    expect(deriveInsights(input())).toEqual([]);
  });

  it('names segments that convert below the target, most severe first', () => {
    const insights = deriveInsights(
      input({
        bySegment: [
          segmentRow('price_sensitive', figures(100, 0.55)),
          segmentRow('speed_priority', figures(100, 0.3)),
          segmentRow('balanced', figures(100, 0.8)),
        ],
      }),
    ).filter((insight) => insight.kind === 'low_conversion_segment');
    expect(insights.map((insight) => [insight.segment, insight.severity])).toEqual([
      ['speed_priority', 'critical'],
      ['price_sensitive', 'warning'],
    ]);
    expect(insights[1]).toMatchObject({
      evidence: {
        conversionRate: 0.55,
        sessions: 100,
        choices: 55,
        targetConversionRate: 0.6,
        overallConversionRate: 0.75,
      },
      message:
        "Price sensitive customers convert at 55.0% over 100 sessions, below the 60.0% target and the marketplace's 75.0%.",
    });
  });

  it('points at the best-converting segment with its weights, and at learned weights that beat the defaults', () => {
    const insights = deriveInsights(
      input({
        overall: figures(300, 0.7),
        bySegment: [
          segmentRow('premium_buyer', figures(100, 0.9)),
          segmentRow('balanced', figures(200, 0.6)),
        ],
        byWeightsSource: [
          { source: 'default', ...figures(100, 0.6) },
          { source: 'learned', ...figures(200, 0.8) },
        ],
      }),
    ).filter((insight) => insight.kind === 'high_converting_weights');
    expect(insights).toHaveLength(2);
    expect(insights[0]).toMatchObject({
      segment: 'premium_buyer',
      evidence: { conversionRate: 0.9, 'weight.quality': 0.3 },
    });
    expect(insights[0]?.message).toContain(
      'ranked with quality 0.30, capability 0.28, reliability 0.25 leading',
    );
    expect(insights[1]).toMatchObject({
      segment: null,
      evidence: { conversionRate: 0.8, defaultConversionRate: 0.6 },
    });
  });

  it('flags complexity levels that convert poorly or bury the chosen option', () => {
    const insights = deriveInsights(
      input({
        byComplexity: [
          { complexity: 'simple', ...figures(100, 0.9) },
          { complexity: 'complex', ...figures(100, 0.8, { averageChosenRank: 2.6 }) },
          { complexity: 'highly_complex', ...figures(100, 0.4, { averageChosenRank: 3.1 }) },
          { complexity: null, ...figures(100, 0.1) },
        ],
      }),
    );
    expect(insights.map((insight) => [insight.complexity, insight.severity])).toEqual([
      ['highly_complex', 'critical'],
      ['complex', 'warning'],
    ]);
    expect(insights[0]?.message).toBe(
      'Highly complex projects convert at 40.0% and are matched at rank 3.10 on average over 100 sessions: recommendations for them need work.',
    );
  });

  it('reports satisfaction moving between the first and the second half of the period', () => {
    const [trend] = deriveInsights(
      input({
        daily: [
          day('2026-03-01', 20, 4.4),
          day('2026-03-02', 20, 4.2),
          day('2026-03-03', 20, 3.9),
          day('2026-03-04', 20, 3.7),
        ],
      }),
    );
    expect(trend).toMatchObject({
      kind: 'satisfaction_trend',
      severity: 'warning',
      evidence: { earlierSessions: 40, laterSessions: 40 },
    });
    expect(trend?.evidence.earlierSatisfaction).toBeCloseTo(4.3, 12);
    expect(trend?.evidence.laterSatisfaction).toBeCloseTo(3.8, 12);
  });

  it('contrasts the factor customers name most with the one their choices weigh most', () => {
    const stated: StatedVsRevealed = {
      statements: 40,
      factors: FACTORS.map((factor) => ({
        factor,
        mentions: factor === 'quality' ? 30 : 2,
        statedShare: factor === 'quality' ? 0.75 : 0.05,
        revealedWeight: factor === 'cost' ? 0.35 : 0.13,
      })),
    };
    const [gap] = deriveInsights(
      input({ bySegment: [segmentRow('quality_focused', figures(100, 0.75), stated)] }),
    );
    expect(gap).toMatchObject({
      kind: 'stated_revealed_gap',
      segment: 'quality_focused',
      evidence: {
        'statedShare.quality': 0.75,
        'revealedWeight.cost': 0.35,
        'revealedWeight.quality': 0.13,
        statements: 40,
      },
    });
    expect(gap?.message).toBe(
      'Quality focused customers name quality most often (75.0% of 40 statements), but their choices weigh cost most (0.35, against 0.13 for quality).',
    );
  });

  it('never claims anything on fewer observations than the minimum sample (property)', () => {
    const small = fc.integer({ min: 0, max: DEFAULT_INSIGHT_OPTIONS.minSample - 1 });
    const rate = fc.option(fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...SEGMENTS), small, rate), { maxLength: 6 }),
        fc.array(fc.tuple(small, fc.option(fc.double({ min: 1, max: 5, noNaN: true }))), { maxLength: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        (segments, days, overallSessions) => {
          const insights = deriveInsights({
            overall: figures(overallSessions, 0.7),
            bySegment: segments.map(([segment, sessions, conversion]) =>
              segmentRow(segment, figures(sessions, conversion)),
            ),
            byComplexity: segments.map(([, sessions, conversion]) => ({
              complexity: 'complex' as const,
              ...figures(sessions, conversion, { averageChosenRank: 4 }),
            })),
            byWeightsSource: segments.map(([, sessions, conversion]) => ({
              source: 'learned' as const,
              ...figures(sessions, conversion),
            })),
            // The two halves together hold fewer than twice the minimum, so one half is short of it.
            daily: days
              .slice(0, 1)
              .map(([sessions, satisfaction], index) => day(`2026-03-0${index + 1}`, sessions, satisfaction)),
          });
          return insights.length === 0;
        },
      ),
    );
  });
});
