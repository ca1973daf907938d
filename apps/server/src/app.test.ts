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
