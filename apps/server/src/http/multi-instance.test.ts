import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@matchloop/db/testing';
import { SEGMENTS } from '@matchloop/schemas';
import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcknowledgedWrites, runCustomerTraffic, weightsOfEverySegment } from '../testing/customer-traffic';
import { sessionRequest } from '../testing/fixtures';
import { type ServerProcess, startServerProcess } from '../testing/server-process';

const SERVERS = 3;
const CUSTOMERS_AT_ONCE = 12;
const CHOICES = 300;
/** Copies of one request sent to each server at the same moment. */
const COPIES_PER_SERVER = 4;
const ADMIN_KEY = 'mlk_multi-instance-admin-key-0123456789';

/** Several servers share one PostgreSQL: the way Matchloop scales out. */
describe.runIf(process.env.MATCHLOOP_TEST_POSTGRES_URL)(
  `${SERVERS} server processes on one PostgreSQL`,
  () => {
    let database: TestDatabase;
    let servers: ServerProcess[] = [];
    let clients: MatchloopClient[] = [];
    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      if (database.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const env = {
        DATABASE_URL: database.target.url,
        MATCHLOOP_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
        MATCHLOOP_RATE_LIMIT: '1000000',
      };
      servers = await Promise.all(Array.from({ length: SERVERS }, () => startServerProcess(env)));
      clients = servers.map(connect);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database?.drop();
    });

    const connect = ({ url }: ServerProcess) => createMatchloopClient({ url, apiKey: ADMIN_KEY });
    /** A client of its own per copy, so that the copies travel in separate requests and race each other. */
    const copiesToEveryServer = () =>
      servers.flatMap((server) => Array.from({ length: COPIES_PER_SERVER }, () => connect(server)));

    it(`learns from ${CHOICES} choices of concurrent customers once each, and every server then serves the same`, async () => {
      const before = await weightsOfEverySegment(clients[0] as MatchloopClient);
      const acknowledged = new AcknowledgedWrites();
      const staleReads: string[] = [];
      const stop = new AbortController();
      await runCustomerTraffic({
        urls: servers.map(({ url }) => url),
        apiKey: ADMIN_KEY,
        concurrency: CUSTOMERS_AT_ONCE,
        acknowledged,
        stop: stop.signal,
        // The matching service asks another server for the weights right after each choice, of its version.
        async afterChoice({ output: { learning } }, otherServer) {
          if (acknowledged.choices.size >= CHOICES) stop.abort();
          const served = await otherServer.feedbackLearning.weights.query({
            segment: learning.segment,
            minVersion: learning.weightsVersion,
          });
          if (served.version < learning.weightsVersion || served.sampleSize < learning.sampleSize) {
            staleReads.push(`v${learning.weightsVersion} served as v${served.version}`);
          }
        },
      });
      const choices = [...acknowledged.choices.values()].map(({ output }) => output.learning);

      // Every choice was learned from once, one at a time: each got the next version of the learner,
      // which counts the choices of every segment.
      const versionBefore = before.balanced.version;
      expect(choices.map(({ weightsVersion }) => weightsVersion).sort((a, b) => a - b)).toEqual(
        choices.map((_, index) => versionBefore + index + 1),
      );
      expect(staleReads).toEqual([]);
      const after = await Promise.all(
        clients.map((client) => weightsOfEverySegment(client, versionBefore + choices.length)),
      );
      for (const segment of SEGMENTS) {
        const learnedHere = choices.filter((choice) => choice.segment === segment).length;
        expect(after[0]?.[segment]).toMatchObject({
          version: versionBefore + choices.length,
          sampleSize: before[segment].sampleSize + learnedHere,
        });
      }
      for (const served of after.slice(1)) expect(served).toEqual(after[0]);
    }, 80_000);

    it('serves a choice acknowledged by one server from every other: at once when asked for, soon regardless', async () => {
      for (let round = 0; round < 2 * SERVERS; round++) {
        const writer = clients[round % SERVERS] as MatchloopClient;
        const session = await writer.feedbackLearning.startSession.mutate(
          sessionRequest({ customerId: `read-your-writes-${round}` }),
        );
        const { learning } = await writer.feedbackLearning.recordChoice.mutate({
          sessionId: session.sessionId,
          chosenManufacturerId: session.recommendations[round % 3]?.manufacturerId ?? null,
        });
        const readers = clients.filter((client) => client !== writer);
        const { segment, weightsVersion: minVersion } = learning;
        const learned = {
          version: learning.weightsVersion,
          sampleSize: learning.sampleSize,
          confidence: learning.confidence,
        };
        for (const served of await Promise.all(
          readers.map((reader) => reader.feedbackLearning.weights.query({ segment, minVersion })),
        )) {
          expect(served).toMatchObject(learned);
        }
        // Without a version to wait for, a server answers from memory, which the change feed keeps current.
        for (const reader of readers) {
          await expect
            .poll(() => reader.feedbackLearning.weights.query({ segment }), { timeout: 2000, interval: 20 })
            .toMatchObject(learned);
        }
      }
    });

    it('stores a session, and an interaction, sent to every server at once just once', async () => {
      const admin = clients[0] as MatchloopClient;
      // The only highly complex project, so analytics of that complexity counts exactly what the copies stored.
      const request = sessionRequest({
        sessionId: randomUUID(),
        customerId: 'sent-everywhere',
        project: { complexity: 'highly_complex' },
      });
      const stored = async () =>
        (await admin.feedbackLearning.analytics.query({ complexity: 'highly_complex' })).overall;
      const sessions = await Promise.all(
        copiesToEveryServer().map((client) => client.feedbackLearning.startSession.mutate(request)),
      );
      for (const session of sessions) expect(session).toEqual(sessions[0]);
      expect(await stored()).toMatchObject({ sessions: 1 });

      const interaction = {
        eventId: randomUUID(),
        sessionId: sessions[0]?.sessionId ?? '',
        manufacturerId: sessions[0]?.recommendations[0]?.manufacturerId ?? '',
        interactionType: 'viewed' as const,
      };
      const recorded = await Promise.all(
        copiesToEveryServer().map((client) => client.feedbackLearning.recordInteraction.mutate(interaction)),
      );
      for (const response of recorded) expect(response).toEqual(recorded[0]);
      expect(await stored()).toMatchObject({ sessions: 1, interactionsPerSession: { viewed: 1 } });
    });

    it('learns once from one choice sent to every server at once', async () => {
      const admin = clients[0] as MatchloopClient;
      const session = await admin.feedbackLearning.startSession.mutate(
        sessionRequest({ customerId: 'chose-everywhere' }),
      );
      const before = await weightsOfEverySegment(admin);
      const choice = {
        sessionId: session.sessionId,
        chosenManufacturerId: session.recommendations[1]?.manufacturerId ?? null,
      };
      const responses = await Promise.all(
        copiesToEveryServer().map((client) => client.feedbackLearning.recordChoice.mutate(choice)),
      );
      for (const response of responses) expect(response).toEqual(responses[0]);
      const learnedVersion = responses[0]?.learning.weightsVersion;
      const after = await Promise.all(clients.map((client) => weightsOfEverySegment(client, learnedVersion)));
      expect(after[0]?.[session.segment]).toMatchObject({
        version: before[session.segment].version + 1,
        sampleSize: before[session.segment].sampleSize + 1,
      });
      for (const served of after.slice(1)) expect(served).toEqual(after[0]);
    });
  },
);
