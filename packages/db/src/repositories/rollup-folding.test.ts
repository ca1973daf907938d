import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client';
import { openTestDatabase, testDatabaseKinds } from '../testing/test-databases';
import { outcomeBreakdown } from './analytics';
import { foldFinishedRollupDays } from './rollup-folding';

const NOW = new Date('2026-06-15T12:00:00Z');

/** One outcome rollup row, as the triggers leave it for a writer on connection shard `shard`. */
interface RollupRow {
  day: string;
  shard: number;
  sessions: number;
  choices: number;
  chosenRankSum: number;
  viewed: number;
}

async function addRollupRows(database: Database, rows: readonly RollupRow[]): Promise<void> {
  for (const row of rows) {
    await database.prisma.$executeRaw`
      INSERT INTO "DailyOutcomeRollup"
        (day, segment, complexity, "weightsSource", shard, sessions, choices, "chosenRankSum", viewed)
      VALUES (${row.day}::date, 'balanced', 'simple', 'learned', ${row.shard}, ${row.sessions}, ${row.choices},
              ${row.chosenRankSum}, ${row.viewed})`;
  }
}

async function rollupRows(database: Database): Promise<{ day: string; shard: number; sessions: number }[]> {
  return database.prisma.$queryRaw`
    SELECT day::text AS day, shard::int AS shard, sessions FROM "DailyOutcomeRollup" ORDER BY day, shard`;
}

describe.each(testDatabaseKinds())('folding finished days of the outcome rollups (%s)', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });

  it('leaves one row per key for each day before yesterday, and every figure as it was', async () => {
    await addRollupRows(database, [
      { day: '2026-06-10', shard: 0, sessions: 5, choices: 3, chosenRankSum: 6, viewed: 4 },
      { day: '2026-06-10', shard: 3, sessions: 2, choices: 1, chosenRankSum: 4, viewed: 1 },
      { day: '2026-06-10', shard: 6, sessions: 1, choices: 1, chosenRankSum: 1, viewed: 0 },
      // A day whose writers all had shards other than 0.
      { day: '2026-06-13', shard: 2, sessions: 4, choices: 2, chosenRankSum: 3, viewed: 2 },
      { day: '2026-06-13', shard: 5, sessions: 3, choices: 3, chosenRankSum: 9, viewed: 3 },
      // Yesterday and today may still be written by every connection.
      { day: '2026-06-14', shard: 1, sessions: 2, choices: 0, chosenRankSum: 0, viewed: 0 },
      { day: '2026-06-14', shard: 4, sessions: 1, choices: 1, chosenRankSum: 2, viewed: 1 },
      { day: '2026-06-15', shard: 7, sessions: 6, choices: 2, chosenRankSum: 2, viewed: 5 },
    ]);
    const before = await outcomeBreakdown(database.prisma, {});

    expect(await foldFinishedRollupDays(database.prisma, NOW)).toBe(4);

    expect(await rollupRows(database)).toEqual([
      { day: '2026-06-10', shard: 0, sessions: 8 },
      { day: '2026-06-13', shard: 0, sessions: 7 },
      { day: '2026-06-14', shard: 1, sessions: 2 },
      { day: '2026-06-14', shard: 4, sessions: 1 },
      { day: '2026-06-15', shard: 7, sessions: 6 },
    ]);
    const after = await outcomeBreakdown(database.prisma, {});
    expect(after).toEqual(before);
    expect(after.overall).toMatchObject({ sessions: 24, choices: 13, averageChosenRank: 27 / 13 });
    expect(await foldFinishedRollupDays(database.prisma, NOW)).toBe(0);
  });
});

/** A session of the bench's shape, stored as a server would: one statement on one connection. */
const STORE_SESSION = `
  INSERT INTO "MatchingFeedbackSession"
    (id, "customerId", segment, "segmentSource", complexity, "weightsVersion", "weightsSource",
     "weightsConfidence", weights, "order", status, "requestHash", "createdAt")
  VALUES ($1, 'customer-1', 'balanced', 'rules', 'simple', 0, 'learned', 0, '{}', 'ranked', 'open', 'test', $2)`;
const RECORD_VIEW = `
  INSERT INTO "RecommendationInteraction" (id, "sessionId", "manufacturerId", "interactionType", "requestHash")
  VALUES ($1, $2, 'maker-1', 'viewed', 'test')`;

describe.runIf(process.env.MATCHLOOP_TEST_POSTGRES_URL)(
  'outcome rollups under concurrent writers (postgres)',
  () => {
    let database: Database;
    let connections: pg.Client[] = [];
    beforeEach(async () => {
      database = await openTestDatabase('postgres');
      connections = [];
    });
    afterEach(async () => {
      await Promise.all(connections.map((connection) => connection.end()));
      await database.close();
    });

    /** A connection of its own, as each of a pool's or of several servers' connections is. */
    async function connect(): Promise<pg.Client> {
      if (database.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const connection = new pg.Client({ connectionString: database.target.url });
      await connection.connect();
      connections.push(connection);
      return connection;
    }

    const shardOf = async (connection: pg.Client): Promise<number> =>
      (await connection.query<{ shard: number }>('SELECT matchloop_rollup_shard() AS shard')).rows[0]
        ?.shard ?? -1;

    /** Two connections that add to different rows of a rollup key, as a pool's consecutive connections do. */
    async function writersOnTwoShards(): Promise<[pg.Client, pg.Client]> {
      const first = await connect();
      for (let attempt = 0; attempt < 16; attempt++) {
        const second = await connect();
        if ((await shardOf(second)) !== (await shardOf(first))) return [first, second];
      }
      throw new Error('16 connections in a row added to the same rollup rows');
    }

    it('lets a writer store a session of the same day, segment and complexity while another has not committed', async () => {
      const [first, second] = await writersOnTwoShards();
      await first.query('BEGIN');
      await first.query(STORE_SESSION, [randomUUID(), new Date()]);
      // Before sharding, this waited for the first writer's commit, and so failed here.
      await second.query("SET lock_timeout = '2s'");
      await second.query(STORE_SESSION, [randomUUID(), new Date()]);
      await first.query('COMMIT');

      expect((await outcomeBreakdown(database.prisma, {})).overall.sessions).toBe(2);
    });

    it('counts a late interaction on an old session exactly once while the day is being folded', async () => {
      const [first, second] = await writersOnTwoShards();
      const oldSession = randomUUID();
      const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000);
      await first.query(STORE_SESSION, [oldSession, fourDaysAgo]);
      await second.query(STORE_SESSION, [randomUUID(), fourDaysAgo]);
      await second.query('BEGIN');
      await second.query(RECORD_VIEW, [randomUUID(), oldSession]);

      // The fold waits for the uncommitted interaction's row, then folds it in with what it added.
      const folding = foldFinishedRollupDays(database.prisma);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await second.query('COMMIT');
      expect(await folding).toBeGreaterThanOrEqual(1);

      const { overall } = await outcomeBreakdown(database.prisma, {});
      expect(overall).toMatchObject({ sessions: 2, interactionsPerSession: { viewed: 0.5 } });
      expect(await rollupRows(database)).toEqual([
        { day: fourDaysAgo.toISOString().slice(0, 10), shard: 0, sessions: 2 },
      ]);
    });
  },
);
