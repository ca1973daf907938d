import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAnalytics, useSegmentWeights } from '../api/queries';
import { everyDayOfWindow } from '../model/daily-series';
import { analyticsInputFor, type DashboardFilters, DEFAULT_FILTERS, windowStart } from '../model/filters';
import { SEGMENTS } from '../model/labels';
import { AlertsPanel } from './AlertsPanel';
import { ChosenRankDistributionChart } from './ChosenRankDistributionChart';
import { ComplexityTable } from './ComplexityTable';
import { ConversionTrendChart } from './ConversionTrendChart';
import { CHART_COLORS } from './chart-theme';
import { DailyLineChart } from './DailyLineChart';
import { Header } from './Header';
import { InsightsPanel } from './InsightsPanel';
import { KpiGrid } from './KpiGrid';
import { PageHeading } from './PageHeading';
import { ProblemNotice } from './ProblemNotice';
import { SegmentTable } from './SegmentTable';
import { SegmentWeightsGrid } from './SegmentWeightsGrid';
import { StatedVsRevealedPanel } from './StatedVsRevealedPanel';
import { WeightsSourceComparison } from './WeightsSourceComparison';

/** The operator's page: every view, restricted to the chosen window, segment and complexity. */
export function Dashboard({ onSignOut }: { onSignOut: () => void }) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<DashboardFilters>(DEFAULT_FILTERS);
  const now = new Date();
  const analytics = useAnalytics(analyticsInputFor(filters, now));
  // Weights are current rather than of a window; every segment's are loaded for the segment table.
  const weightQueries = useSegmentWeights(SEGMENTS);
  const weightStates = SEGMENTS.map((segment, index) => ({
    segment,
    weights: weightQueries[index]?.data,
    error: weightQueries[index]?.error ?? null,
  }));
  const servedSources = new Map(
    weightStates.flatMap(({ segment, weights }) => (weights ? [[segment, weights.source] as const] : [])),
  );

  const data = analytics.data;
  const days = data && everyDayOfWindow(data.daily, windowStart(filters.window, now), now);

  return (
    <div className="app">
      <Header
        updatedAt={analytics.dataUpdatedAt ? new Date(analytics.dataUpdatedAt) : null}
        refreshing={analytics.isFetching}
        onRefresh={() => queryClient.invalidateQueries()}
        onSignOut={onSignOut}
      />
      <main
        className={analytics.isPlaceholderData ? 'page stale' : 'page'}
        aria-busy={analytics.isFetching}
        data-testid="dashboard"
      >
        <PageHeading filters={filters} onFiltersChange={setFilters} />
        {analytics.isError && <ProblemNotice error={analytics.error} onSignInAgain={onSignOut} />}
        {!(analytics.isError && !data) && (
          <>
            <AlertsPanel alerts={data?.alerts} />

            <h2 className="section-title">Overview</h2>
            <KpiGrid figures={data?.overall} />
            <InsightsPanel insights={data?.insights} />

            <h2 className="section-title">Trends</h2>
            <ConversionTrendChart days={days} />
            <div className="grid-2">
              <DailyLineChart
                title="Chosen rank by day"
                description="Average position of the chosen manufacturer; lower is better."
                days={days}
                figure="averageChosenRank"
                figureName="Average chosen rank"
                scale={{ min: 1, step: 0.5 }}
                color={CHART_COLORS.accent}
                testId="chart-rank-trend"
              />
              <DailyLineChart
                title="Satisfaction by day"
                description="Average satisfaction customers gave after choosing, out of 5."
                days={days}
                figure="averageSatisfaction"
                figureName="Satisfaction (1–5)"
                scale={{ min: 1, max: 5, step: 1 }}
                color={CHART_COLORS.secondary}
                testId="chart-satisfaction-trend"
              />
            </div>

            <h2 className="section-title">Recommendations</h2>
            <div className="grid-2">
              <ChosenRankDistributionChart figures={data?.overall} />
              <WeightsSourceComparison rows={data?.byWeightsSource} />
            </div>
            <ComplexityTable rows={data?.byComplexity} />

            <h2 className="section-title">Segments and learning</h2>
            <SegmentTable rows={data?.bySegment} servedSources={servedSources} />
            <SegmentWeightsGrid
              segments={weightStates.filter(({ segment }) => !filters.segment || segment === filters.segment)}
            />
            <StatedVsRevealedPanel bySegment={data?.bySegment} />
          </>
        )}
      </main>
    </div>
  );
}
