import type { AnalyticsInput, Segment } from '@matchloop/sdk';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMatchloopClient } from './client-context';

/** Figures move as sessions arrive; an operator leaving the page open should see them move too. */
const REFRESH_INTERVAL_MS = 60_000;

export function useAnalytics(input: AnalyticsInput) {
  const client = useMatchloopClient();
  return useQuery({
    queryKey: ['analytics', input],
    queryFn: () => client.feedbackLearning.analytics.query(input),
    refetchInterval: REFRESH_INTERVAL_MS,
    // While a new filter's figures load, the previous ones stay on screen (dimmed) rather than blanking.
    placeholderData: keepPreviousData,
  });
}

/** The weights served to each segment now, one query per segment; the SDK sends them in one request. */
export function useSegmentWeights(segments: readonly Segment[]) {
  const client = useMatchloopClient();
  return useQueries({
    queries: segments.map((segment) => ({
      queryKey: ['weights', segment],
      queryFn: () => client.feedbackLearning.weights.query({ segment }),
      refetchInterval: REFRESH_INTERVAL_MS,
    })),
  });
}
