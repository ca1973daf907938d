import { describe, expect, it } from 'vitest';
import {
  formatAverage,
  formatCount,
  formatDay,
  formatDuration,
  formatPercent,
  formatRate,
  formatWholePercent,
  humanize,
  MISSING,
} from './format';

describe('the dashboard’s number formats', () => {
  it('writes counts, shares and averages the same way for every operator', () => {
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatPercent(0.6432)).toBe('64.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatWholePercent(0.6)).toBe('60%');
    expect(formatAverage(1.8712)).toBe('1.87');
    expect(formatAverage(4)).toBe('4.00');
    expect(formatRate(3.14)).toBe('3.1');
  });

  it('writes a missing figure as a dash, never as zero', () => {
    for (const format of [formatCount, formatPercent, formatAverage, formatRate, formatDuration]) {
      expect(format(null)).toBe(MISSING);
      expect(format(Number.NaN)).toBe(MISSING);
    }
  });

  it('writes durations in their two largest units', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(59.6)).toBe('1 min 0 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(97_200)).toBe('1 d 3 h');
  });

  it('names UTC days without shifting them into the browser’s time zone', () => {
    expect(formatDay('2025-11-27')).toBe('Nov 27');
    expect(formatDay('2026-01-01')).toBe('Jan 1');
  });

  it('turns the contract’s names into words', () => {
    expect(humanize('conversionRate')).toBe('conversion rate');
    expect(humanize('price_sensitive')).toBe('price sensitive');
  });
});
