import { learningOptions, replayLearning } from '@matchloop/api';
import { type Database, openDatabase, readChoiceLog } from '@matchloop/db';
import { createTestDatabase, type TestDatabase } from '@matchloop/db/testing';
import { FACTORS, SEGMENTS } from '@matchloop/schemas';
import type { Benchmark, Figure } from './benchmark';

/**
 * `matchloop replay` over a long choice log (issue 3: 1,000,000 choices in under 20 s), on PostgreSQL
 * when MATCHLOOP_TEST_POSTGRES_URL names a server, else on in-memory PGlite with a tenth of the choices.
 * Baseline, in the same run: reading the same log without learning from it, so the ratio shows what
 * learning adds to the I/O that any replay must do.
 */
const OPTIONS_PER_SESSION = 10;
/** One option's factor scores as the choice log stores them: six big-endian doubles, FACTORS order. */
const SHOWN_FACTORS = FACTORS.map((factor) => `float8send(r.${factor})`).join(' || ');
const CUSTOMERS = 10_000;

export const replayBenchmark: Benchmark = {
  name: 'replay',
  async run(): Promise<Figure[]> {
    const onPostgres = Boolean(process.env.MATCHLOOP_TEST_POSTGRES_URL);
    const choices = Number(process.env.MATCHLOOP_BENCH_REPLAY_CHOICES ?? (onPostgres ? 1_000_000 : 100_000));
    const testDatabase: TestDatabase = await createTestDatabase(onPostgres ? 'postgres' : 'pglite');
    const database = await openDatabase(testDatabase.target);
    try {
      await database.migrate();
      console.error(`  filling a log of ${choices.toLocaleString('en-US')} choices…`);
      await fillChoiceLog(database, choices);

      const readStarted = performance.now();
      let read = 0;
      for await (const _ of readChoiceLog(database.prisma, 0n)) read += 1;
      const readSeconds = (performance.now() - readStarted) / 1000;

      const replayStarted = performance.now();
      const result = await replayLearning(database, learningOptions());
      const replaySeconds = (performance.now() - replayStarted) / 1000;
      if (result.choices !== choices || read !== choices)
        throw new Error('the replay did not see every choice');

      const perMillion = 1_000_000 / choices;
      const where = onPostgres ? 'PostgreSQL' : 'PGlite';
      return [
        { name: 'replayChoices', value: choices, unit: `choices (${where})` },
        {
          name: 'replaySecondsPerMillionChoices',
          value: replaySeconds * perMillion,
          unit: 's',
          goal: { atMost: 20 },
        },
        { name: 'replayChoicesPerSecond', value: choices / replaySeconds, unit: 'choices/s' },
        { name: 'replayVsReadingTheLog', value: replaySeconds / readSeconds, unit: '× baseline' },
      ];
    } finally {
      await database.close();
      await testDatabase.drop();
    }
  },
};

/**
 * Writes `count` sessions of ten options each, with their choices, in a few set-based statements: the
 * shape of a real log (segments, repeat customers, one in seven walking away) without going through HTTP.
 */
async function fillChoiceLog({ prisma }: Database, count: number): Promise<void> {
  const segments = `ARRAY[${SEGMENTS.map((segment) => `'${segment}'`).join(',')}]`;
  await prisma.$executeRawUnsafe(`
    INSERT INTO "MatchingFeedbackSession"
      (id, "customerId", segment, "segmentSource", "weightsVersion", "weightsSource", "weightsConfidence",
       weights, "order", status, "requestHash")
    SELECT md5('session-' || i)::uuid, 'customer-' || (i % ${CUSTOMERS}), (${segments})[1 + i % 6]::"Segment",
           'rules', 0, 'default', 0, '{}'::jsonb, 'ranked', 'chosen', 'bench'
    FROM generate_series(1, ${count}) AS i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "MatchingRecommendation"
      ("sessionId", "manufacturerId", rank, score, "predictedChoiceProbability",
       cost, quality, speed, proximity, capability, reliability)
    SELECT md5('session-' || i)::uuid, 'maker-' || r, r, 0, 0,
           random(), random(), random(), random(), random(), random()
    FROM generate_series(1, ${count}) AS i, generate_series(1, ${OPTIONS_PER_SESSION}) AS r`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenManufacturerId", "chosenRank", "importantFactors",
       "customerChoiceNumber",
       "shownFactors", "learnedWeightsVersion", "learnedSampleSize", "learnedConfidence", "requestHash")
    SELECT md5('session-' || i)::uuid, 'customer-' || (i % ${CUSTOMERS}), (${segments})[1 + i % 6]::"Segment",
           CASE WHEN i % 7 = 0 THEN NULL ELSE 'maker-' || chosen.rank END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE chosen.rank END,
           '{}', 1 + (i - 1) / ${CUSTOMERS}, shown.factors, 0, 0, 0, 'bench'
    FROM generate_series(1, ${count}) AS i,
         LATERAL (SELECT 1 + floor(power(random(), 2) * ${OPTIONS_PER_SESSION})::int AS rank) AS chosen,
         LATERAL (
           SELECT string_agg(${SHOWN_FACTORS}, ''::bytea ORDER BY r.rank) AS factors
           FROM "MatchingRecommendation" r WHERE r."sessionId" = md5('session-' || i)::uuid
         ) AS shown
    ORDER BY i`);
}
