import { emptyFigures, outcomeBreakdown } from '@matchloop/db';
import { deriveInsights, type InsightOptions } from '@matchloop/learning';
import {
  type AnalyticsInput,
  type AnalyticsOutput,
  COMPLEXITY_LEVELS,
  type ComplexityFigures,
  SEGMENTS,
  weightsSourceSchema,
} from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import type { AlertMonitor } from './alerts';

export interface AnalyticsExtras {
  readonly alerts: AlertMonitor;
  readonly insights: InsightOptions;
}

/**
 * Outcome figures for the window, with every segment, complexity level and weights source listed even when
 * empty, the insights drawn from them, and the alerts firing now (evaluated first, so they are current).
 */
export async function analytics(
  deps: ServiceDependencies,
  filters: AnalyticsInput,
  extras: AnalyticsExtras,
): Promise<AnalyticsOutput> {
  const [breakdown, alerts] = await Promise.all([
    outcomeBreakdown(deps.database.prisma, filters),
    extras.alerts.evaluate(),
  ]);
  const segments = filters.segment ? [filters.segment] : SEGMENTS;
  const levels = filters.complexity ? [filters.complexity] : COMPLEXITY_LEVELS;
  await deps.learning.refresh(deps.database.prisma);
  const segmentRows = segments.map((segment) => {
    const { confidence, sampleSize, values } = deps.learning.serve(segment);
    const stated = deps.learning.statedVsRevealed(segment);
    const figures = breakdown.bySegment.get(segment) ?? emptyFigures();
    return {
      figures: {
        segment,
        ...figures,
        learningConfidence: confidence,
        sampleSize,
        statedVsRevealed: stated,
      },
      servedWeights: values,
    };
  });
  const bySegment = segmentRows.map((row) => row.figures);
  const byComplexity: ComplexityFigures[] = levels.map((complexity) => ({
    complexity,
    ...(breakdown.byComplexity.get(complexity) ?? emptyFigures()),
  }));
  const unstated = breakdown.byComplexity.get(null);
  if (unstated && !filters.complexity) byComplexity.push({ complexity: null, ...unstated });
  const byWeightsSource = weightsSourceSchema.options.map((source) => ({
    source,
    ...(breakdown.byWeightsSource.get(source) ?? emptyFigures()),
  }));
  const insights = deriveInsights(
    {
      overall: breakdown.overall,
      bySegment: segmentRows.map((row) => ({ ...row.figures, servedWeights: row.servedWeights })),
      byComplexity,
      byWeightsSource,
      daily: breakdown.daily,
    },
    extras.insights,
  );
  return {
    overall: breakdown.overall,
    bySegment,
    byComplexity,
    byWeightsSource,
    daily: breakdown.daily,
    insights,
    // Alerts judge the recent window of the whole marketplace, whatever window and filters were asked for.
    alerts,
  };
}
