import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseTarget, openDatabase } from '@matchloop/db';
import { createTestDatabase, type TestDatabaseKind, testDatabaseKinds } from '@matchloop/db/testing';
import { SEGMENTS } from '@matchloop/schemas';
import { createMatchloopClient } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Acknowledged,
  AcknowledgedWrites,
  runCustomerTraffic,
  weightsOfEverySegment,
} from '../testing/customer-traffic';
import { databaseEnvironment, runMatchloop } from '../testing/run-cli';
import { type ServerProcess, startServerProcess } from '../testing/server-process';

const ADMIN_KEY = 'mlk_crash-safety-admin-key-0123456789';
const CUSTOMERS_AT_ONCE = 8;
const KILLS = 2;
/** Choices a server acknowledges before it is killed, with other customers' requests still in flight. */
const CHOICES_BEFORE_KILL = 25;

/** A database that outlives the server processes: a data directory, or a PostgreSQL database. */
async function durableDatabase(
  kind: TestDatabaseKind,
): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (kind === 'postgres') return createTestDatabase('postgres');
  const dataDir = await mkdtemp(join(tmpdir(), 'matchloop-crash-'));
  return { target: { kind: 'pglite', dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

describe.each(testDatabaseKinds())('a server killed under load, on %s', (kind) => {
  let database: Awaited<ReturnType<typeof durableDatabase>>;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    database = await durableDatabase(kind);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const start = () =>
    startServerProcess({
      ...databaseEnvironment(database.target),
      MATCHLOOP_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      MATCHLOOP_RATE_LIMIT: '1000000',
    });
  const clientOf = ({ url }: ServerProcess) => createMatchloopClient({ url, apiKey: ADMIN_KEY });

  it(`keeps every acknowledged write and a learner equal to its log, over ${KILLS} kills`, async () => {
    const acknowledged = new AcknowledgedWrites();
    server = await start();
    for (let kill = 1; kill <= KILLS; kill++) {
      const choicesBefore = acknowledged.choices.size;
      const stop = new AbortController();
      const traffic = runCustomerTraffic({
        urls: [server.url],
        apiKey: ADMIN_KEY,
        concurrency: CUSTOMERS_AT_ONCE,
        acknowledged,
        stop: stop.signal,
        serversKilledAtStop: true,
      });
      await until(() => acknowledged.choices.size >= choicesBefore + CHOICES_BEFORE_KILL, traffic);
      stop.abort();
      server.process.kill('SIGKILL');
      await traffic;

      // The database opens after the crash: the server recovers it, migrates and answers health.
      const restarted = await start();
      server = restarted;
      const restartedClient = clientOf(restarted);
      expect(await restartedClient.feedbackLearning.health.query()).toMatchObject({ status: 'ok' });
      const learned = await weightsOfEverySegment(restartedClient);
      await restarted.stop();

      const stored = await readStore(database.target);
      expect(missingIds(acknowledged.sessions, stored.sessionIds)).toEqual([]);
      expect(missingIds(acknowledged.interactions, stored.interactionIds)).toEqual([]);
      expect(
        missingIds(acknowledged.choices, new Set(stored.choices.map((choice) => choice.sessionId))),
      ).toEqual([]);
      // Nothing is half there: every session was stored with what it showed, a session is closed exactly
      // when its choice is logged, and every logged choice was learned from, in log order.
      expect(stored.sessionsWithoutRecommendations).toEqual([]);
      expect(stored.closedSessionIds).toEqual(new Set(stored.choices.map((choice) => choice.sessionId)));
      expect(stored.choices.map((choice) => choice.learnedWeightsVersion)).toEqual(
        stored.choices.map((_, index) => index + 1),
      );
      // No session was ranked with weights learned from a choice that never made it into the log.
      expect(stored.newestWeightsVersionServed).toBeLessThanOrEqual(stored.choices.length);
      for (const segment of SEGMENTS) {
        expect(learned[segment]).toMatchObject({
          version: stored.choices.length,
          sampleSize: stored.choices.filter((choice) => choice.segment === segment).length,
        });
      }

      // What the restarted server learned is what a replay of the log rebuilds, to the last digit. (After
      // the first kill, a server restarts from the checkpoint the replay left and folds in the rest.)
      const replay = await runMatchloop(['replay'], database.target);
      expect(replay).toMatchObject({ code: 0 });
      expect(replay.stdout).toContain(`Replayed ${stored.choices.length} choices from the log.`);
      server = await start();
      const client = clientOf(server);
      expect(await weightsOfEverySegment(client)).toEqual(learned);

      // Each acknowledged write holds what was acknowledged: a retry is answered exactly as the first time.
      await forEachAtOnce(acknowledged.sessions.values(), async ({ input, output }) => {
        expect(await client.feedbackLearning.startSession.mutate(input)).toEqual(output);
      });
      await forEachAtOnce(acknowledged.interactions.values(), async ({ input, output }) => {
        expect(await client.feedbackLearning.recordInteraction.mutate(input)).toEqual(output);
      });
      await forEachAtOnce(acknowledged.choices.values(), async ({ input, output }) => {
        expect(await client.feedbackLearning.recordChoice.mutate(input)).toEqual(output);
      });
    }
  }, 120_000);
});

/** Waits for the condition while the traffic runs; fails at once if the traffic fails first. */
async function until(condition: () => boolean, traffic: Promise<void>): Promise<void> {
  const failed = traffic.then(() => {
    throw new Error('The traffic stopped before the condition was met');
  });
  while (!condition()) {
    await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 2))]);
  }
}

function missingIds(
  acknowledged: Map<string, Acknowledged<unknown, unknown>>,
  stored: Set<string>,
): string[] {
  return [...acknowledged.keys()].filter((id) => !stored.has(id));
}

/** What the database holds, read directly once no server has it open. */
async function readStore(target: DatabaseTarget) {
  const database = await openDatabase(target);
  try {
    const { prisma } = database;
    const [sessions, shown, choices, interactions] = await Promise.all([
      prisma.matchingFeedbackSession.findMany({ select: { id: true, status: true, weightsVersion: true } }),
      prisma.matchingRecommendation.groupBy({ by: ['sessionId'] }),
      prisma.customerChoice.findMany({
        orderBy: { sequence: 'asc' },
        select: { sessionId: true, segment: true, learnedWeightsVersion: true },
      }),
      prisma.recommendationInteraction.findMany({ select: { id: true } }),
    ]);
    const showingSomething = new Set(shown.map(({ sessionId }) => sessionId));
    return {
      sessionIds: new Set(sessions.map((session) => session.id)),
      sessionsWithoutRecommendations: sessions
        .map((session) => session.id)
        .filter((id) => !showingSomething.has(id)),
      newestWeightsVersionServed: Math.max(0, ...sessions.map((session) => session.weightsVersion)),
      closedSessionIds: new Set(
        sessions.filter((session) => session.status !== 'open').map((session) => session.id),
      ),
      choices,
      interactionIds: new Set(interactions.map((interaction) => interaction.id)),
    };
  } finally {
    await database.close();
  }
}

/** Runs the work for every item, a few at a time, as several clients would. */
async function forEachAtOnce<T>(items: Iterable<T>, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: CUSTOMERS_AT_ONCE }, worker));
}
