import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@matchloop/db';
import { createTestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { describe, expect, it } from 'vitest';
import { sessionRequest } from './testing/fixtures';
import { startTestServer } from './testing/test-server';

/** A database that outlives one server: a PGlite directory, or a PostgreSQL database. */
async function durableDatabase(
  kind: 'pglite' | 'postgres',
): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (kind === 'postgres') return createTestDatabase('postgres');
  const dataDir = await mkdtemp(join(tmpdir(), 'matchloop-restart-'));
  return { target: { kind: 'pglite', dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

describe.each(testDatabaseKinds())('a restart, on %s', (kind) => {
  it('keeps every session, choice and key, and the learner picks up where it stopped', async () => {
    const database = await durableDatabase(kind);
    const adminKey = 'mlk_restart-test-admin-key-0123456789';
    try {
      const first = await startTestServer({ target: database.target, adminKey });
      const ingestKey = await first.createKey(['ingest']);
      const session = await first.client(ingestKey).feedbackLearning.startSession.mutate(sessionRequest());
      await first.client(ingestKey).feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        chosenManufacturerId: session.recommendations[0]?.manufacturerId ?? null,
        satisfaction: 4,
      });
      const analyticsBefore = await first.client().feedbackLearning.analytics.query({});
      const weightsBefore = await first
        .client()
        .feedbackLearning.weights.query({ segment: 'price_sensitive' });
      await first.close();

      const second = await startTestServer({ target: database.target, adminKey });
      try {
        expect(await second.client().feedbackLearning.analytics.query({})).toEqual(analyticsBefore);
        expect(await second.client().feedbackLearning.weights.query({ segment: 'price_sensitive' })).toEqual(
          weightsBefore,
        );
        expect(weightsBefore.sampleSize).toBe(1);
        // The key created before the restart still works, and the session can still be interacted with.
        const interaction = await second.client(ingestKey).feedbackLearning.recordInteraction.mutate({
          sessionId: session.sessionId,
          manufacturerId: session.recommendations[1]?.manufacturerId ?? '',
          interactionType: 'viewed',
        });
        expect(interaction.sessionId).toBe(session.sessionId);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe.each(testDatabaseKinds())('a starting server, on %s', (kind) => {
  it('folds the finished days of the outcome rollups, and analytics reads the same figures', async () => {
    const database = await durableDatabase(kind);
    const adminKey = 'mlk_fold-test-admin-key-0123456789ab';
    try {
      const first = await startTestServer({ target: database.target, adminKey });
      const session = await first.client().feedbackLearning.startSession.mutate(sessionRequest());
      await first.client().feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        chosenManufacturerId: session.recommendations[1]?.manufacturerId ?? null,
      });
      // Ten days ago, connections of three servers stored sessions of one key, each in its own rows.
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      for (const [shard, sessions, choices] of [
        [1, 4, 2],
        [4, 3, 3],
        [6, 1, 0],
      ]) {
        await first.matchloop.database.prisma.$executeRaw`
          INSERT INTO "DailyOutcomeRollup" (day, segment, complexity, "weightsSource", shard, sessions, choices)
          VALUES (${tenDaysAgo}::date, 'balanced', 'simple', 'learned', ${shard}, ${sessions}, ${choices})`;
      }
      const analyticsBefore = await first.client().feedbackLearning.analytics.query({});
      expect(analyticsBefore.overall).toMatchObject({ sessions: 9, choices: 6 });
      await first.close();

      const second = await startTestServer({ target: database.target, adminKey });
      try {
        const rowsOfTenDaysAgo = () =>
          second.matchloop.database.prisma.$queryRaw<{ shard: number; sessions: number }[]>`
            SELECT shard::int AS shard, sessions FROM "DailyOutcomeRollup" WHERE day = ${tenDaysAgo}::date`;
        await expect.poll(rowsOfTenDaysAgo, { timeout: 5000 }).toEqual([{ shard: 0, sessions: 8 }]);
        expect(await second.client().feedbackLearning.analytics.query({})).toEqual(analyticsBefore);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});
