import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '@matchloop/db';
import { INTERACTION_TYPES } from '@matchloop/schemas';
import {
  createMatchloopClient,
  openMatchloopOutbox,
  type RecordChoiceInput,
  type RecordInteractionInput,
} from '@matchloop/sdk';
import { fileOutboxStore, OutboxFileInUseError } from '@matchloop/sdk/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { freePort, type ServerProcess, startServerProcess } from '../testing/server-process';
import { startTestServer, type TestServer } from '../testing/test-server';

const ADMIN_KEY = 'mlk_delivery-admin-key-0123456789';
const SESSIONS = 200;
/** Four interactions and a choice per session. */
const EVENTS = SESSIONS * (INTERACTION_TYPES.length + 1);
/** The server is killed once this many events are recorded, and restarted once this many are. */
const KILL_AT = Math.round(EVENTS * 0.3);
const RESTART_AT = Math.round(EVENTS * 0.6);
const WAIT = { timeout: 30_000, interval: 10 };
/** Events the recording process has acknowledged when it is killed. */
const ACKNOWLEDGED_BEFORE_KILL = 100;
/** The outbox retries quickly, so that delivery resumes within moments of the server's return. */
const QUICK_DELIVERY_RETRY = { baseDelayMs: 20, maxDelayMs: 250 };

describe('events recorded through a file outbox', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'matchloop-delivery-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it(`are stored exactly once, all ${EVENTS}, though the server is killed and restarted mid-stream`, async () => {
    const dataDir = join(directory, 'data');
    const env = {
      PORT: String(await freePort()),
      MATCHLOOP_DATA_DIR: dataDir,
      MATCHLOOP_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      // One key sends all the events here; the per-key limit is for many callers sharing a server.
      MATCHLOOP_RATE_LIMIT: '100000',
    };
    // Every server started, so that none outlives the test however it ends.
    const servers = [startServerProcess(env)];
    try {
      const server = (await servers[0]) as ServerProcess;
      const matchloop = createMatchloopClient({ url: server.url, apiKey: ADMIN_KEY });
      const sessions = await Promise.all(
        Array.from({ length: SESSIONS }, (_, index) =>
          matchloop.feedbackLearning.startSession.mutate(sessionRequest({ customerId: `customer-${index}` })),
        ),
      );
      // Each interaction names itself in expandedSections, so that a duplicate would show in the database.
      const events = sessions.flatMap(({ sessionId, recommendations }, sessionIndex) => [
        ...INTERACTION_TYPES.map(
          (interactionType, typeIndex): RecordInteractionInput => ({
            sessionId,
            manufacturerId: recommendations[typeIndex % recommendations.length]?.manufacturerId ?? '',
            interactionType,
            expandedSections: [`interaction-${sessionIndex}-${typeIndex}`],
          }),
        ),
        {
          sessionId,
          chosenManufacturerId:
            recommendations[sessionIndex % recommendations.length]?.manufacturerId ?? null,
          satisfaction: 4,
        } satisfies RecordChoiceInput,
      ]);

      const outbox = await openMatchloopOutbox({
        url: server.url,
        apiKey: ADMIN_KEY,
        store: fileOutboxStore(join(directory, 'outbox.jsonl')),
        retry: QUICK_DELIVERY_RETRY,
      });
      for (const [index, event] of events.entries()) {
        if (index === KILL_AT) {
          // Killed while delivering, not before it starts: recording is much faster than delivery.
          await vi.waitFor(() => expect(outbox.pending()).toBeLessThanOrEqual(KILL_AT / 2), WAIT);
          await server.stop('SIGKILL');
        }
        if (index === RESTART_AT) servers.push(startServerProcess(env));
        await ('interactionType' in event ? outbox.recordInteraction(event) : outbox.recordChoice(event));
      }
      expect(outbox.pending()).toBeGreaterThan(0);
      await servers[1];
      await outbox.flush();
      expect(outbox.pending()).toBe(0);
      expect(outbox.rejected()).toEqual([]);
      await outbox.close();
    } finally {
      await Promise.all(
        servers.map((started) =>
          started.then(
            (server) => server.stop(),
            () => {},
          ),
        ),
      );
    }

    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const interactions = await database.prisma.$queryRaw<{ marker: string; copies: bigint }[]>`
        SELECT "expandedSections"[1] AS marker, count(*) AS copies
        FROM "RecommendationInteraction" GROUP BY 1`;
      expect(interactions).toHaveLength(SESSIONS * INTERACTION_TYPES.length);
      expect(interactions.filter(({ copies }) => copies !== 1n)).toEqual([]);
      expect(await database.prisma.customerChoice.count()).toBe(SESSIONS);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('survive the recording process being killed, and are delivered by the next one, exactly once', async () => {
    const server: TestServer = await startTestServer('pglite');
    try {
      const session = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
      const file = join(directory, 'killed-outbox.jsonl');
      // The recording process records as fast as it can, to a server that is not there, and prints the id
      // of each event once recordInteraction has acknowledged it.
      const recorder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '--eval',
          `import { openMatchloopOutbox } from '@matchloop/sdk';
           import { fileOutboxStore } from '@matchloop/sdk/node';
           const outbox = await openMatchloopOutbox({ url: process.env.UNREACHABLE_URL, store: fileOutboxStore(process.env.OUTBOX_FILE) });
           for (;;) {
             const event = await outbox.recordInteraction(JSON.parse(process.env.INTERACTION));
             process.stdout.write(event.id + '\\n');
           }`,
        ],
        {
          // Where @matchloop/sdk resolves as it does for this package.
          cwd: new URL('../..', import.meta.url).pathname,
          env: {
            ...process.env,
            UNREACHABLE_URL: `http://127.0.0.1:${await freePort()}`,
            OUTBOX_FILE: file,
            INTERACTION: JSON.stringify({
              sessionId: session.sessionId,
              manufacturerId: session.recommendations[0]?.manufacturerId,
              interactionType: 'viewed',
            }),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise((resolve) => recorder.once('exit', resolve));
      const acknowledged: string[] = [];
      const enoughAcknowledged = new Promise<void>((resolve) => {
        createInterface({ input: recorder.stdout }).on('line', (id) => {
          acknowledged.push(id);
          if (acknowledged.length === ACKNOWLEDGED_BEFORE_KILL) resolve();
        });
      });
      await enoughAcknowledged;

      const whileRecording = await openMatchloopOutbox({
        url: server.url,
        store: fileOutboxStore(file),
      }).catch((error: unknown) => error);
      expect(whileRecording).toBeInstanceOf(OutboxFileInUseError);
      expect(whileRecording).toMatchObject({ holderPid: recorder.pid });

      recorder.kill('SIGKILL');
      await exited;
      const afterKill = await openMatchloopOutbox({
        url: server.url,
        apiKey: server.adminKey,
        store: fileOutboxStore(file),
        retry: QUICK_DELIVERY_RETRY,
      });
      // Events written but not yet acknowledged when the kill came may be there too.
      expect(afterKill.pending()).toBeGreaterThanOrEqual(acknowledged.length);
      const recorded = afterKill.pending();
      await afterKill.flush();
      await afterKill.close();

      const stored = await server.matchloop.database.prisma.recommendationInteraction.findMany({
        where: { sessionId: session.sessionId },
        select: { id: true },
      });
      expect(stored).toHaveLength(recorded);
      expect(stored.map(({ id }) => id)).toEqual(expect.arrayContaining(acknowledged));
    } finally {
      await server.close();
    }
  });
});
