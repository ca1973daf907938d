import type { AnalyticsOutput } from '@matchloop/sdk';

export type DailyFigures = AnalyticsOutput['daily'][number];

const DAY_MS = 24 * 60 * 60 * 1000;

function isoDay(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * The analytics list only the days that had sessions. A trend drawn from them alone would join a busy
 * Monday to a busy Friday as if they were neighbours, so every day of the window is listed: a quiet day
 * has no sessions and no rates (null), which the charts draw as a gap. The series starts at the window's
 * first day (or the first day with sessions, for all time) and ends today.
 */
export function everyDayOfWindow(
  daily: readonly DailyFigures[],
  windowStart: Date | null,
  now: Date,
): DailyFigures[] {
  const first = daily[0];
  const last = daily.at(-1);
  if (first === undefined || last === undefined) return [];
  const byDate = new Map(daily.map((day) => [day.date, day]));
  const start = Date.parse(`${windowStart ? isoDay(windowStart.getTime()) : first.date}T00:00:00Z`);
  const end = Math.max(
    Date.parse(`${isoDay(now.getTime())}T00:00:00Z`),
    Date.parse(`${last.date}T00:00:00Z`),
  );
  const days: DailyFigures[] = [];
  for (let instant = start; instant <= end; instant += DAY_MS) {
    const date = isoDay(instant);
    days.push(
      byDate.get(date) ?? {
        date,
        sessions: 0,
        choices: 0,
        conversionRate: null,
        averageChosenRank: null,
        averageSatisfaction: null,
      },
    );
  }
  return days;
}
