import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// Relative imports, not dependencies: @matchloop/server depends on this package (see retry.test.ts).
import { sessionRequest } from '../../../apps/server/src/testing/fixtures';
import { startTestServer, type TestServer } from '../../../apps/server/src/testing/test-server';
import { type MatchloopOutbox, openMatchloopOutbox, type StartSessionOutput } from './index';
import { fileOutboxStore, OutboxFileInUseError } from './node';
import { type FaultInjectingProxy, startFaultInjectingProxy } from './testing/fault-injecting-proxy';

describe('an outbox in a file', () => {
  let server: TestServer;
  let proxy: FaultInjectingProxy;
  let directory: string;
  let file: string;
  let session: StartSessionOutput;
  const outboxes: MatchloopOutbox[] = [];

  async function openOutbox() {
    const outbox = await openMatchloopOutbox({
      url: proxy.url,
      apiKey: server.adminKey,
      store: fileOutboxStore(file),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    outboxes.push(outbox);
    return outbox;
  }
  const viewed = () => ({
    sessionId: session.sessionId,
    manufacturerId: session.recommendations[0]?.manufacturerId ?? '',
    interactionType: 'viewed' as const,
  });
  const storedInteractions = () =>
    server.matchloop.database.prisma.recommendationInteraction.count({
      where: { sessionId: session.sessionId },
    });

  beforeAll(async () => {
    // The last test sends more than the production limit of requests per minute.
    server = await startTestServer('pglite', { rateLimit: 100_000 });
    proxy = await startFaultInjectingProxy(server.url);
    directory = await mkdtemp(join(tmpdir(), 'matchloop-outbox-'));
  });
  afterAll(async () => {
    await Promise.all(outboxes.map((outbox) => outbox.close()));
    await proxy?.close();
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await Promise.all(outboxes.splice(0).map((outbox) => outbox.close()));
    proxy.restore();
    file = join(directory, `outbox-${Date.now()}.jsonl`);
    session = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
  });

  it('belongs to one outbox at a time', async () => {
    const first = await openOutbox();
    const second = await openMatchloopOutbox({ url: proxy.url, store: fileOutboxStore(file) }).catch(
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(OutboxFileInUseError);
    expect(second).toMatchObject({ path: file, holderPid: process.pid });

    await first.close();
    const next = await openOutbox();
    expect(next.pending()).toBe(0);
  });

  it('opens after a write cut short by a kill, with every event it had acknowledged', async () => {
    proxy.breakDown({ kind: 'reset' });
    const outbox = await openOutbox();
    for (let event = 0; event < 3; event++) await outbox.recordInteraction(viewed());
    await outbox.close();
    // What a process killed in the middle of its next write leaves at the end of the journal.
    await appendFile(file, '{"add":{"kind":"interaction","id":"');

    const reopened = await openOutbox();
    expect(reopened.pending()).toBe(3);
    proxy.restore();
    await reopened.flush();
    expect(await storedInteractions()).toBe(3);
  });

  it('keeps refused events across a restart and sends them again when asked, each stored once', async () => {
    const outbox = await openOutbox();
    const lateSessionId = randomUUID();
    await outbox.recordInteraction({ ...viewed(), sessionId: lateSessionId });
    await outbox.flush();
    expect(outbox.rejected()).toHaveLength(1);
    await outbox.close();

    await server.client().feedbackLearning.startSession.mutate(sessionRequest({ sessionId: lateSessionId }));
    const restarted = await openOutbox();
    expect(restarted.rejected()).toHaveLength(1);
    expect(await restarted.retryRejected()).toBe(1);
    // Sent back for good: a restart before it is delivered finds it pending, not refused.
    proxy.breakDown({ kind: 'reset' });
    await restarted.close();

    const again = await openOutbox();
    expect([again.pending(), again.rejected().length]).toEqual([1, 0]);
    proxy.restore();
    await again.flush();
    const stored = await server.matchloop.database.prisma.recommendationInteraction.count({
      where: { sessionId: lateSessionId },
    });
    expect(stored).toBe(1);
  });

  it('stays small however many events pass through it', async () => {
    const outbox = await openOutbox();
    const events = 600;
    await Promise.all(Array.from({ length: events }, () => outbox.recordInteraction(viewed())));
    await outbox.flush();
    expect(await storedInteractions()).toBe(events);
    // 600 events recorded and delivered take 1,200 lines of ~250 bytes; rewritten, far fewer.
    expect((await stat(file)).size).toBeLessThan(400 * 250);
  });
});
