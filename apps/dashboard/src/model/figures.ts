import type { AnalyticsOutput } from '@matchloop/sdk';

export type OutcomeFigures = AnalyticsOutput['overall'];
export type SegmentFigures = AnalyticsOutput['bySegment'][number];
export type ComplexityFigures = AnalyticsOutput['byComplexity'][number];
export type WeightsSourceFigures = AnalyticsOutput['byWeightsSource'][number];
export type Insight = AnalyticsOutput['insights'][number];
export type Alert = AnalyticsOutput['alerts'][number];

/** All interactions per session, whatever their type. */
export function interactionsPerSessionTotal(perSession: OutcomeFigures['interactionsPerSession']): number {
  return perSession.viewed + perSession.expanded + perSession.compared + perSession.contacted;
}
