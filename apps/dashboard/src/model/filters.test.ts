import { describe, expect, it } from 'vitest';
import { analyticsInputFor, windowStart } from './filters';

const NOW = new Date('2025-11-27T15:42:00Z');

describe('the time windows', () => {
  it('are whole UTC days ending today', () => {
    expect(windowStart('7d', NOW)).toEqual(new Date('2025-11-21T00:00:00Z'));
    expect(windowStart('30d', NOW)).toEqual(new Date('2025-10-29T00:00:00Z'));
    expect(windowStart('all', NOW)).toBeNull();
  });

  it('start at the same instant all day, so the query stays the same between refreshes', () => {
    expect(windowStart('7d', new Date('2025-11-27T00:00:00Z'))).toEqual(
      windowStart('7d', new Date('2025-11-27T23:59:59Z')),
    );
  });
});

describe('the analytics input', () => {
  it('carries only the filters that are set, and no upper bound', () => {
    expect(analyticsInputFor({ window: 'all', segment: null, complexity: null }, NOW)).toEqual({});
    expect(analyticsInputFor({ window: '7d', segment: 'balanced', complexity: 'complex' }, NOW)).toEqual({
      from: new Date('2025-11-21T00:00:00Z'),
      segment: 'balanced',
      complexity: 'complex',
    });
  });
});
