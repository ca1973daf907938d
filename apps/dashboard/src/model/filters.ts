import type { AnalyticsInput, Complexity, Segment } from '@matchloop/sdk';

export const TIME_WINDOWS = {
  '7d': { label: 'Last 7 days', days: 7 },
  '30d': { label: 'Last 30 days', days: 30 },
  '90d': { label: 'Last 90 days', days: 90 },
  all: { label: 'All time', days: null },
} as const satisfies Record<string, { label: string; days: number | null }>;
export type TimeWindow = keyof typeof TIME_WINDOWS;

export interface DashboardFilters {
  window: TimeWindow;
  segment: Segment | null;
  complexity: Complexity | null;
}

export const DEFAULT_FILTERS: DashboardFilters = { window: '30d', segment: null, complexity: null };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The first instant of a window: midnight UTC, `days - 1` days before today, so that the window is made of
 * whole UTC days (the days of the daily trends) and today is the last of them. Being a whole day, it also
 * stays the same all day long, so refreshing the page keeps the same query. Null: no lower bound.
 */
export function windowStart(window: TimeWindow, now: Date): Date | null {
  const { days } = TIME_WINDOWS[window];
  if (days === null) return null;
  const todayUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(todayUtc - (days - 1) * DAY_MS);
}

/** What the dashboard asks `feedbackLearning.analytics` for. The window runs to now: no `to`. */
export function analyticsInputFor(filters: DashboardFilters, now: Date): AnalyticsInput {
  const from = windowStart(filters.window, now);
  return {
    ...(from ? { from } : {}),
    ...(filters.segment ? { segment: filters.segment } : {}),
    ...(filters.complexity ? { complexity: filters.complexity } : {}),
  };
}
