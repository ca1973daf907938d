import { emptyFigures, outcomeBreakdown } from '@matchloop/db';
import {
  type AnalyticsInput,
  type AnalyticsOutput,
  COMPLEXITY_LEVELS,
  type ComplexityFigures,
  SEGMENTS,
} from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import { servedWeights } from './weights';

/** Outcome figures for the window, with every segment and complexity level listed even when empty. */
export async function analytics(
  deps: ServiceDependencies,
  filters: AnalyticsInput,
): Promise<AnalyticsOutput> {
  const breakdown = await outcomeBreakdown(deps.database.prisma, filters);
  const segments = filters.segment ? [filters.segment] : SEGMENTS;
  const levels = filters.complexity ? [filters.complexity] : COMPLEXITY_LEVELS;
  const bySegment = await Promise.all(
    segments.map(async (segment) => {
      const { confidence, sampleSize, statedVsRevealed } = await servedWeights(deps, segment);
      const figures = breakdown.bySegment.get(segment) ?? emptyFigures();
      return { segment, ...figures, learningConfidence: confidence, sampleSize, statedVsRevealed };
    }),
  );
  const byComplexity: ComplexityFigures[] = levels.map((complexity) => ({
    complexity,
    ...(breakdown.byComplexity.get(complexity) ?? emptyFigures()),
  }));
  const unstated = breakdown.byComplexity.get(null);
  if (unstated && !filters.complexity) byComplexity.push({ complexity: null, ...unstated });
  return { overall: breakdown.overall, bySegment, byComplexity };
}
