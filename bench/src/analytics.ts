import { type Database, foldFinishedRollupDays, openDatabase, outcomeBreakdown } from '@matchloop/db';
import { createTestDatabase } from '@matchloop/db/testing';
import { COMPLEXITY_LEVELS, SEGMENTS, weightsSourceSchema } from '@matchloop/schemas';
import { type Benchmark, type Figure, median } from './benchmark';

/**
 * The analytics query (issue 4: overall, by segment and by complexity over 1,000,000 sessions in at most
 * 300 ms, median) on PostgreSQL when MATCHLOOP_TEST_POSTGRES_URL names a server, else on in-memory PGlite
 * with a tenth of the sessions. Baseline, in the same run: a plain COUNT(*) over the same sessions, the
 * least any query over all of them must do.
 */
const RUNS = 7;
const DAYS = 180;
const INTERACTIONS_PER_SESSION = 2;
/** Connections filling the sessions at once. */
const WRITERS = 8;

export const analyticsBenchmark: Benchmark = {
  name: 'analytics',
  async run(): Promise<Figure[]> {
    const onPostgres = Boolean(process.env.MATCHLOOP_TEST_POSTGRES_URL);
    const sessions = Number(
      process.env.MATCHLOOP_BENCH_ANALYTICS_SESSIONS ?? (onPostgres ? 1_000_000 : 100_000),
    );
    const testDatabase = await createTestDatabase(onPostgres ? 'postgres' : 'pglite');
    const database = await openDatabase(testDatabase.target);
    try {
      await database.migrate();
      console.error(`  filling ${sessions.toLocaleString('en-US')} sessions…`);
      await fillSessions(database, sessions);

      const countMilliseconds = await medianMilliseconds(async () => {
        await database.prisma.$queryRawUnsafe('SELECT COUNT(*) FROM "MatchingFeedbackSession"');
      });
      const breakdownMilliseconds = async () => {
        let counted = 0;
        const milliseconds = await medianMilliseconds(async () => {
          counted = (await outcomeBreakdown(database.prisma, {})).overall.sessions;
        });
        if (counted !== sessions) throw new Error(`analytics counted ${counted} of ${sessions} sessions`);
        return milliseconds;
      };
      const unfolded = { milliseconds: await breakdownMilliseconds(), rows: await rollupRows(database) };
      // What running servers do within the hour: fold the finished days, after which autovacuum, triggered
      // by the rows deleted, clears them.
      const foldStarted = performance.now();
      await foldFinishedRollupDays(database.prisma);
      const foldMilliseconds = performance.now() - foldStarted;
      await database.prisma.$executeRawUnsafe('VACUUM ANALYZE "DailyOutcomeRollup"');
      const folded = { milliseconds: await breakdownMilliseconds(), rows: await rollupRows(database) };
      const lastWeek = new Date(Date.now() - 7 * 86_400_000);
      const lastWeekMilliseconds = await medianMilliseconds(async () => {
        await outcomeBreakdown(database.prisma, { from: lastWeek, segment: 'balanced' });
      });

      const where = onPostgres ? 'PostgreSQL' : 'PGlite';
      return [
        { name: 'analyticsSessions', value: sessions, unit: `sessions (${where})` },
        {
          name: 'analyticsMillisecondsPerMillionSessions',
          value: (folded.milliseconds * 1_000_000) / sessions,
          unit: 'ms, median',
          goal: { atMost: 300 },
        },
        { name: 'analyticsRollupRows', value: folded.rows, unit: 'daily outcome rows' },
        { name: 'analyticsVsCount', value: folded.milliseconds / countMilliseconds, unit: '× baseline' },
        {
          name: 'analyticsUnfoldedMillisecondsPerMillionSessions',
          value: (unfolded.milliseconds * 1_000_000) / sessions,
          unit: 'ms, median, every day sharded',
        },
        { name: 'analyticsUnfoldedRollupRows', value: unfolded.rows, unit: 'daily outcome rows' },
        { name: 'rollupFoldMilliseconds', value: foldMilliseconds, unit: 'ms, the whole history' },
        { name: 'analyticsLastWeekOneSegmentMilliseconds', value: lastWeekMilliseconds, unit: 'ms, median' },
      ];
    } finally {
      await database.close();
      await testDatabase.drop();
    }
  },
};

async function rollupRows({ prisma }: Database): Promise<number> {
  const [{ rows }] = await prisma.$queryRawUnsafe<[{ rows: number }]>(
    'SELECT COUNT(*)::int AS rows FROM "DailyOutcomeRollup"',
  );
  return rows;
}

/** The median wall time of RUNS calls, after one unmeasured call that warms the caches. */
async function medianMilliseconds(query: () => Promise<void>): Promise<number> {
  await query();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await query();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Writes `count` sessions over the last DAYS days: every segment, complexity (one in five sent without) and
 * weights source on every day, one in seven walking away, and INTERACTIONS_PER_SESSION interactions each.
 * Each of the few set-based statements runs as WRITERS slices at once, on as many connections, so that every
 * rollup key holds a row per writing connection, as under live traffic. A session's number i picks its
 * segment, complexity, source, day and slice as the digits of a mixed-radix number, so every combination
 * occurs once there are enough sessions. Analytics reads no recommendation rows, so none are written.
 */
async function fillSessions({ prisma }: Database, count: number): Promise<void> {
  const array = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;
  const segment = `(${array(SEGMENTS)})[1 + i % ${SEGMENTS.length}]::"Segment"`;
  const sources = weightsSourceSchema.options;
  const keys = SEGMENTS.length * (COMPLEXITY_LEVELS.length + 1) * sources.length;
  const inSlices = (statement: (slice: string) => string) =>
    Promise.all(
      Array.from({ length: WRITERS }, (_, slice) =>
        prisma.$executeRawUnsafe(statement(`(i / ${keys * DAYS}) % ${WRITERS} = ${slice}`)),
      ),
    );
  await inSlices(
    (slice) => `
    INSERT INTO "MatchingFeedbackSession"
      (id, "customerId", segment, "segmentSource", complexity, "weightsVersion", "weightsSource",
       "weightsConfidence", weights, "order", status, "requestHash", "createdAt")
    SELECT md5('session-' || i)::uuid, 'customer-' || (i % 10000), ${segment}, 'rules',
           (${array(COMPLEXITY_LEVELS)})[1 + (i / ${SEGMENTS.length}) % ${COMPLEXITY_LEVELS.length + 1}]::"Complexity", 0,
           (${array(sources)})[1 + (i / ${keys / sources.length}) % ${sources.length}]::"WeightsSource",
           0, '{}'::jsonb, 'ranked', 'chosen', 'bench',
           now() - (i / ${keys} % ${DAYS}) * interval '1 day' - (i % 86400) * interval '1 second'
    FROM generate_series(1, ${count}) AS i
    WHERE ${slice}`,
  );
  await inSlices(
    (slice) => `
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenManufacturerId", "chosenRank", "importantFactors", satisfaction,
       "decisionTimeSeconds", "customerChoiceNumber", "shownFactors", "learnedWeightsVersion",
       "learnedSampleSize", "learnedConfidence", "requestHash")
    SELECT md5('session-' || i)::uuid, 'customer-' || (i % 10000), ${segment},
           CASE WHEN i % 7 = 0 THEN NULL ELSE 'maker-' || chosen.rank END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE chosen.rank END,
           '{}', 1 + i % 5, 30 + i % 600, 1, '\\x'::bytea, 0, 0, 0, 'bench'
    FROM generate_series(1, ${count}) AS i,
         -- Top ranks chosen most, as in a real log: rank 1 + ⌊10·u²⌋ for u uniform in [0, 1).
         LATERAL (SELECT 1 + floor(power((i::bigint * 7919 % 1000) / 1000.0, 2) * 10)::int AS rank) AS chosen
    WHERE ${slice}`,
  );
  await inSlices(
    (slice) => `
    INSERT INTO "RecommendationInteraction"
      (id, "sessionId", "manufacturerId", "interactionType", "helpfulRating", "expandedSections", "requestHash")
    SELECT md5('interaction-' || i || '-' || k)::uuid, md5('session-' || i)::uuid, 'maker-' || k,
           (ARRAY['viewed','expanded','compared','contacted'])[1 + (i + k) % 4]::"InteractionType",
           CASE WHEN (i + k) % 3 = 0 THEN 1 + (i + k) % 5 END, '{}', 'bench'
    FROM generate_series(1, ${count}) AS i, generate_series(1, ${INTERACTIONS_PER_SESSION}) AS k
    WHERE ${slice}`,
  );
  await prisma.$executeRawUnsafe('ANALYZE');
}
