import {
  type ComplexityFigures,
  type DailyFigures,
  FACTORS,
  type Factor,
  type FactorWeights,
  type Insight,
  type OutcomeFigures,
  type SegmentFigures,
  type Severity,
  type WeightsSourceFigures,
} from '@matchloop/schemas';
import { describeComplexity, describeScope, formatPercent } from './wording';

/** When a pattern in the figures is worth an operator's attention. */
export interface InsightOptions {
  /** No insight rests on fewer sessions (or, for stated-vs-revealed, fewer statements and choices). */
  readonly minSample: number;
  /** Conversion below this is low (the alerting threshold, so both speak of the same target). */
  readonly targetConversionRate: number;
  /** An average chosen rank above this means the best match is not on top. */
  readonly maxAverageChosenRank: number;
  /** How far above the rest a conversion rate must be to count as converting well. */
  readonly conversionLead: number;
  /** How far (on the 1–5 scale) satisfaction must move between the window's halves to be a trend. */
  readonly satisfactionChange: number;
}

export const DEFAULT_INSIGHT_OPTIONS: InsightOptions = {
  minSample: 30,
  targetConversionRate: 0.6,
  maxAverageChosenRank: 2.0,
  conversionLead: 0.05,
  satisfactionChange: 0.2,
};

/** The analytics figures insights are drawn from, with the weights each segment is served now. */
export interface InsightFigures {
  readonly overall: OutcomeFigures;
  readonly bySegment: readonly (SegmentFigures & { readonly servedWeights: FactorWeights })[];
  readonly byComplexity: readonly ComplexityFigures[];
  readonly byWeightsSource: readonly WeightsSourceFigures[];
  readonly daily: readonly DailyFigures[];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** The product brief's insights, most severe first; none rests on fewer than `minSample` observations. */
export function deriveInsights(
  figures: InsightFigures,
  options: InsightOptions = DEFAULT_INSIGHT_OPTIONS,
): Insight[] {
  return [
    ...lowConversionSegments(figures, options),
    ...highConvertingWeights(figures, options),
    ...complexityNeedingImprovement(figures, options),
    ...satisfactionTrend(figures, options),
    ...statedRevealedGaps(figures, options),
  ].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function lowConversionSegments({ overall, bySegment }: InsightFigures, options: InsightOptions): Insight[] {
  return bySegment.flatMap((row) => {
    const rate = row.conversionRate;
    if (row.sessions < options.minSample || rate === null || rate >= options.targetConversionRate) return [];
    const evidence: Record<string, number> = {
      conversionRate: rate,
      sessions: row.sessions,
      choices: row.choices,
      targetConversionRate: options.targetConversionRate,
    };
    if (overall.conversionRate !== null) evidence.overallConversionRate = overall.conversionRate;
    return [
      {
        kind: 'low_conversion_segment',
        // Well short of the target (by a quarter of it or more) is critical.
        severity: rate < options.targetConversionRate * 0.75 ? 'critical' : 'warning',
        segment: row.segment,
        complexity: null,
        evidence,
        message:
          `${describeScope(row.segment)} convert at ${formatPercent(rate)} over ${row.sessions} sessions, ` +
          `below the ${formatPercent(options.targetConversionRate)} target` +
          (overall.conversionRate === null
            ? '.'
            : ` and the marketplace's ${formatPercent(overall.conversionRate)}.`),
      },
    ];
  });
}

/**
 * What converts well enough to replicate: the segment whose sessions convert best, with the weights it is
 * served, and learned (or blended) weights when they beat the documented defaults.
 */
function highConvertingWeights(
  { overall, bySegment, byWeightsSource }: InsightFigures,
  options: InsightOptions,
): Insight[] {
  const insights: Insight[] = [];
  const measured = bySegment.filter(
    (row) => row.sessions >= options.minSample && row.conversionRate !== null,
  );
  const best = measured.reduce<(typeof measured)[number] | undefined>(
    (top, row) => (top === undefined || (row.conversionRate ?? 0) > (top.conversionRate ?? 0) ? row : top),
    undefined,
  );
  if (
    best?.conversionRate != null &&
    overall.conversionRate !== null &&
    measured.length >= 2 &&
    best.conversionRate >= overall.conversionRate + options.conversionLead
  ) {
    const leading = topFactors(best.servedWeights, 3)
      .map((factor) => `${factor} ${best.servedWeights[factor].toFixed(2)}`)
      .join(', ');
    insights.push({
      kind: 'high_converting_weights',
      severity: 'info',
      segment: best.segment,
      complexity: null,
      evidence: {
        conversionRate: best.conversionRate,
        sessions: best.sessions,
        overallConversionRate: overall.conversionRate,
        ...Object.fromEntries(FACTORS.map((factor) => [`weight.${factor}`, best.servedWeights[factor]])),
      },
      message:
        `${describeScope(best.segment)} convert best, at ${formatPercent(best.conversionRate)} over ${best.sessions} ` +
        `sessions against ${formatPercent(overall.conversionRate)} overall, ranked with ${leading} leading.`,
    });
  }

  const defaults = byWeightsSource.find((row) => row.source === 'default');
  for (const row of byWeightsSource) {
    if (row.source === 'default' || !defaults) continue;
    const [rate, baseline] = [row.conversionRate, defaults.conversionRate];
    if (row.sessions < options.minSample || defaults.sessions < options.minSample) continue;
    if (rate === null || baseline === null || rate < baseline + options.conversionLead) continue;
    insights.push({
      kind: 'high_converting_weights',
      severity: 'info',
      segment: null,
      complexity: null,
      evidence: {
        conversionRate: rate,
        sessions: row.sessions,
        defaultConversionRate: baseline,
        defaultSessions: defaults.sessions,
      },
      message:
        `Sessions ranked with ${row.source} weights convert at ${formatPercent(rate)} (${row.sessions} sessions), ` +
        `against ${formatPercent(baseline)} with the default weights (${defaults.sessions} sessions).`,
    });
  }
  return insights;
}

function complexityNeedingImprovement({ byComplexity }: InsightFigures, options: InsightOptions): Insight[] {
  return byComplexity.flatMap((row) => {
    if (row.complexity === null || row.sessions < options.minSample) return [];
    const lowConversion = row.conversionRate !== null && row.conversionRate < options.targetConversionRate;
    const deepRank = row.averageChosenRank !== null && row.averageChosenRank > options.maxAverageChosenRank;
    if (!lowConversion && !deepRank) return [];
    const problems = [
      lowConversion && `convert at ${formatPercent(row.conversionRate ?? 0)}`,
      deepRank && `are matched at rank ${(row.averageChosenRank ?? 0).toFixed(2)} on average`,
    ].filter(Boolean);
    const evidence: Record<string, number> = { sessions: row.sessions };
    if (row.conversionRate !== null) evidence.conversionRate = row.conversionRate;
    if (row.averageChosenRank !== null) evidence.averageChosenRank = row.averageChosenRank;
    const name = describeComplexity(row.complexity);
    return [
      {
        kind: 'complexity_needs_improvement',
        severity: lowConversion && deepRank ? 'critical' : 'warning',
        segment: null,
        complexity: row.complexity,
        evidence,
        message: `${name.charAt(0).toUpperCase()}${name.slice(1)} ${problems.join(' and ')} over ${row.sessions} sessions: recommendations for them need work.`,
      },
    ];
  });
}

/** Satisfaction in the window's later days against its earlier days, each half weighted by its choices. */
function satisfactionTrend({ daily }: InsightFigures, options: InsightOptions): Insight[] {
  if (daily.length < 2) return [];
  const middle = Math.floor(daily.length / 2);
  const [earlier, later] = [summarize(daily.slice(0, middle)), summarize(daily.slice(middle))];
  if (earlier.sessions < options.minSample || later.sessions < options.minSample) return [];
  if (earlier.satisfaction === null || later.satisfaction === null) return [];
  const change = later.satisfaction - earlier.satisfaction;
  if (Math.abs(change) < options.satisfactionChange) return [];
  const direction = change > 0 ? 'rose' : 'fell';
  return [
    {
      kind: 'satisfaction_trend',
      severity: change > 0 ? 'info' : 'warning',
      segment: null,
      complexity: null,
      evidence: {
        earlierSatisfaction: earlier.satisfaction,
        laterSatisfaction: later.satisfaction,
        change,
        earlierSessions: earlier.sessions,
        laterSessions: later.sessions,
      },
      message:
        `Satisfaction ${direction} from ${earlier.satisfaction.toFixed(2)} to ${later.satisfaction.toFixed(2)} out of 5 ` +
        `between the first and the second half of the period (${earlier.sessions} and ${later.sessions} sessions).`,
    },
  ];
}

function summarize(days: readonly DailyFigures[]): { sessions: number; satisfaction: number | null } {
  let sessions = 0;
  let weighted = 0;
  let weight = 0;
  for (const day of days) {
    sessions += day.sessions;
    if (day.averageSatisfaction === null || day.choices === 0) continue;
    weighted += day.averageSatisfaction * day.choices;
    weight += day.choices;
  }
  return { sessions, satisfaction: weight === 0 ? null : weighted / weight };
}

/** Segments whose customers name one factor most but whose choices weigh another most. */
function statedRevealedGaps({ bySegment }: InsightFigures, options: InsightOptions): Insight[] {
  return bySegment.flatMap((row) => {
    const { statements, factors } = row.statedVsRevealed;
    if (statements < options.minSample || row.sampleSize < options.minSample) return [];
    const stated = factors.reduce((top, entry) => (entry.statedShare > top.statedShare ? entry : top));
    const revealed = factors.reduce((top, entry) =>
      (entry.revealedWeight ?? -1) > (top.revealedWeight ?? -1) ? entry : top,
    );
    if (revealed.revealedWeight === null || stated.factor === revealed.factor) return [];
    return [
      {
        kind: 'stated_revealed_gap',
        severity: 'info',
        segment: row.segment,
        complexity: null,
        evidence: {
          [`statedShare.${stated.factor}`]: stated.statedShare,
          [`revealedWeight.${stated.factor}`]: stated.revealedWeight ?? 0,
          [`revealedWeight.${revealed.factor}`]: revealed.revealedWeight,
          statements,
          choices: row.sampleSize,
        },
        message:
          `${describeScope(row.segment)} name ${stated.factor} most often (${formatPercent(stated.statedShare)} of ` +
          `${statements} statements), but their choices weigh ${revealed.factor} most ` +
          `(${revealed.revealedWeight.toFixed(2)}, against ${(stated.revealedWeight ?? 0).toFixed(2)} for ${stated.factor}).`,
      },
    ];
  });
}

function topFactors(weights: FactorWeights, count: number): Factor[] {
  return [...FACTORS].sort((a, b) => weights[b] - weights[a]).slice(0, count);
}
