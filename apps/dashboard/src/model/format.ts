/**
 * How the dashboard writes numbers. The locale is fixed so that every operator (and the end-to-end test)
 * reads the same figures; a missing figure (null: nothing to average yet) is a dash, never a zero.
 */

const LOCALE = 'en-US';
export const MISSING = '—';

const count = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const wholePercent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToThreeDecimals = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 });
const utcDay = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const clockTime = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'medium' });

function orMissing(value: number | null, format: (value: number) => string): string {
  return value === null || !Number.isFinite(value) ? MISSING : format(value);
}

/** 1234 → "1,234" */
export function formatCount(value: number | null): string {
  return orMissing(value, (v) => count.format(v));
}

/** 0.6432 → "64.3%" */
export function formatPercent(value: number | null): string {
  return orMissing(value, (v) => percent.format(v));
}

/** 0.6 → "60%", for chart axes. */
export function formatWholePercent(value: number | null): string {
  return orMissing(value, (v) => wholePercent.format(v));
}

/** An average rank, or a rating out of 5: 1.8712 → "1.87" */
export function formatAverage(value: number | null): string {
  return orMissing(value, (v) => twoDecimals.format(v));
}

/** A confidence in [0, 1]: 0.7312 → "0.73" */
export const formatConfidence = formatAverage;

/** Interactions per session: 3.14 → "3.1" */
export function formatRate(value: number | null): string {
  return orMissing(value, (v) => oneDecimal.format(v));
}

/** A place in a ranking: 2 → "#2" */
export function formatRank(rank: number | null): string {
  return orMissing(rank, (r) => `#${r}`);
}

/** Evidence figures of unknown kind: as many decimals as they need, up to three. */
export function formatEvidence(value: number): string {
  return upToThreeDecimals.format(value);
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The two largest units only: 42.4 → "42 s", 125 → "2 min 5 s", 3900 → "1 h 5 min", 97200 → "1 d 3 h" */
export function formatDuration(seconds: number | null): string {
  return orMissing(seconds, (v) => {
    const whole = Math.round(v);
    if (whole < MINUTE) return `${whole} s`;
    if (whole < HOUR) return `${Math.floor(whole / MINUTE)} min ${whole % MINUTE} s`;
    if (whole < DAY) return `${Math.floor(whole / HOUR)} h ${Math.floor((whole % HOUR) / MINUTE)} min`;
    return `${Math.floor(whole / DAY)} d ${Math.floor((whole % DAY) / HOUR)} h`;
  });
}

/** A daily figure's UTC date, "2025-11-27" → "Nov 27" */
export function formatDay(isoDate: string): string {
  return utcDay.format(new Date(`${isoDate}T00:00:00Z`));
}

/** An instant in the operator's time zone: "Nov 27, 2025, 11:14 AM" */
export function formatDateTime(instant: Date): string {
  return dateTime.format(instant);
}

/** When the figures were fetched: "11:14:03 AM" */
export function formatClockTime(instant: Date): string {
  return clockTime.format(instant);
}

/** "premium_buyer" → "premium buyer", "statedShare.quality" → "stated share quality": names the contract leaves open. */
export function humanize(name: string): string {
  return name
    .replace(/[_.]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
