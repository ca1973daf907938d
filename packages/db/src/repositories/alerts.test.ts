import { randomUUID } from 'node:crypto';
import type { Segment } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client';
import { logChoiceDirectly } from '../testing/logged-choices';
import { openTestDatabase, testDatabaseKinds } from '../testing/test-databases';
import { confidenceHistory } from './alerts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY);
const THRESHOLD = 0.5;
const PERIOD_START = daysAgo(7);

describe.each(testDatabaseKinds())('segments’ learning confidence over a period (%s)', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });

  async function logChoice(segment: Segment, days: number, learnedConfidence: number): Promise<void> {
    await logChoiceDirectly(database.prisma, {
      sessionId: randomUUID(),
      segment,
      learnedConfidence,
      createdAt: daysAgo(days),
    });
  }

  it('finds each segment’s first choice and its last confident one within the period', async () => {
    await logChoice('price_sensitive', 10, 0.7);
    await logChoice('price_sensitive', 5, 0.5);
    await logChoice('price_sensitive', 3, 0.2);
    await logChoice('price_sensitive', 1, 0.3);
    // Confident only before the period: low for all of it.
    await logChoice('quality_focused', 9, 0.9);
    await logChoice('quality_focused', 2, 0.1);
    // New within the period, and never confident.
    await logChoice('speed_priority', 4, 0.2);

    const history = await confidenceHistory(
      database.prisma,
      ['price_sensitive', 'quality_focused', 'speed_priority', 'balanced'],
      THRESHOLD,
      PERIOD_START,
    );

    expect(Object.fromEntries(history)).toEqual({
      price_sensitive: { firstChoiceAt: daysAgo(10), lastConfidentAt: daysAgo(5) },
      quality_focused: { firstChoiceAt: daysAgo(9), lastConfidentAt: null },
      speed_priority: { firstChoiceAt: daysAgo(4), lastConfidentAt: null },
      balanced: { firstChoiceAt: null, lastConfidentAt: null },
    });
  });

  it('reads only the segments asked about', async () => {
    await logChoice('premium_buyer', 1, 0.9);
    const history = await confidenceHistory(database.prisma, ['local_preference'], THRESHOLD, PERIOD_START);
    expect([...history.keys()]).toEqual(['local_preference']);
    expect(history.get('local_preference')).toEqual({ firstChoiceAt: null, lastConfidentAt: null });
    expect(await confidenceHistory(database.prisma, [], THRESHOLD, PERIOD_START)).toEqual(new Map());
  });
});
