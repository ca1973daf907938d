import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client';
import { openTestDatabase, testDatabaseKinds } from '../testing/test-databases';

/**
 * The event tables grow with every request, so autovacuum analyzes them over and over, on the cores that
 * answer the marketplace. What each ANALYZE works through is what the planner keeps statistics on: the
 * columns rows are found, joined, filtered, grouped or sorted by. A column added to one of these tables shows
 * up here, to be either looked up by a query or left out of ANALYZE by a migration.
 */
const COLUMNS_WITH_STATISTICS = {
  MatchingFeedbackSession: ['complexity', 'createdAt', 'customerId', 'id', 'segment', 'weightsSource'],
  MatchingRecommendation: ['rank', 'sessionId'],
  CustomerChoice: [
    'chosenRank',
    'createdAt',
    'customerId',
    'learnedConfidence',
    'segment',
    'sequence',
    'sessionId',
  ],
  RecommendationInteraction: ['createdAt', 'id', 'interactionType', 'sessionId'],
};

describe.each(testDatabaseKinds())('planner statistics on the event tables (%s)', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });

  it('are gathered only for the columns queries look rows up by', async () => {
    const rows = await database.prisma.$queryRaw<{ table: string; columns: string[] }[]>`
      SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attname) AS columns
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname = ANY(${Object.keys(COLUMNS_WITH_STATISTICS)}::text[])
        AND c.relnamespace = 'public'::regnamespace
        AND a.attnum > 0 AND NOT a.attisdropped
        AND coalesce(a.attstattarget, -1) <> 0
      GROUP BY c.relname`;
    expect(Object.fromEntries(rows.map(({ table, columns }) => [table, columns]))).toEqual(
      COLUMNS_WITH_STATISTICS,
    );
  });
});
