import { createTestDatabase, type TestDatabase } from '@matchloop/db/testing';
import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { type ServerProcess, startServerProcess } from '../testing/server-process';

const CHOICES = 500;
const ADMIN_KEY = 'mlk_multi-instance-admin-key-0123456789';

/** Several servers share one PostgreSQL: the way Matchloop scales out. */
describe.runIf(process.env.MATCHLOOP_TEST_POSTGRES_URL)('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];
  let clients: MatchloopClient[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (database.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const env = { DATABASE_URL: database.target.url, MATCHLOOP_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    clients = servers.map(({ url }) => createMatchloopClient({ url, apiKey: ADMIN_KEY }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  it(`learns from ${CHOICES} concurrent choices sent to both, losing none`, async () => {
    const [first, second] = clients as [MatchloopClient, MatchloopClient];
    const before = await first.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    const sessions = await Promise.all(
      Array.from({ length: CHOICES }, (_, i) =>
        (i % 2 === 0 ? first : second).feedbackLearning.startSession.mutate(
          sessionRequest({ customerId: `customer-${i}` }),
        ),
      ),
    );
    const choices = await Promise.all(
      sessions.map((session, i) =>
        (i % 2 === 0 ? second : first).feedbackLearning.recordChoice.mutate({
          sessionId: session.sessionId,
          chosenManufacturerId: session.recommendations[i % 3]?.manufacturerId ?? null,
        }),
      ),
    );

    // Every choice was folded in exactly once, one at a time: each saw a different learner version.
    expect(new Set(choices.map((choice) => choice.learning.weightsVersion)).size).toBe(CHOICES);
    const [fromFirst, fromSecond] = await Promise.all(
      clients.map((client) => client.feedbackLearning.weights.query({ segment: 'price_sensitive' })),
    );
    expect(fromFirst?.sampleSize).toBe(before.sampleSize + CHOICES);
    expect(fromSecond).toEqual(fromFirst);
  });
});
