import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
// Relative imports, not dependencies: @matchloop/server depends on this package (see retry.test.ts).
import { sessionRequest } from '../../../apps/server/src/testing/fixtures';
import { freePort } from '../../../apps/server/src/testing/server-process';
import type { TestServer } from '../../../apps/server/src/testing/test-server';
import {
  localStorageOutboxStore,
  type MatchloopOutbox,
  openMatchloopOutbox,
  type RejectedEvent,
  type StartSessionOutput,
  type WebStorage,
} from './index';
import type { FaultInjectingProxy } from './testing/fault-injecting-proxy';
import { serverBehindProxyForSuite } from './testing/server-behind-proxy';

/** The Web Storage API over a Map: what a page's `localStorage` is, minus the browser. */
class MapStorage implements WebStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

describe('an outbox in localStorage', () => {
  let server: TestServer;
  let proxy: FaultInjectingProxy;
  let session: StartSessionOutput;
  const outboxes: MatchloopOutbox[] = [];
  const prisma = () => server.matchloop.database.prisma;

  /** An outbox as a page opens one, reaching the server through the proxy, retrying quickly. */
  async function openOutbox(
    storage: WebStorage,
    onRejected?: (rejection: RejectedEvent) => void,
    url = proxy.url,
  ) {
    const outbox = await openMatchloopOutbox({
      url,
      apiKey: server.adminKey,
      store: localStorageOutboxStore(storage),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...(onRejected && { onRejected }),
    });
    outboxes.push(outbox);
    return outbox;
  }
  const viewed = (manufacturerIndex = 0, sessionId = session.sessionId) => ({
    sessionId,
    manufacturerId: session.recommendations[manufacturerIndex]?.manufacturerId ?? '',
    interactionType: 'viewed' as const,
  });
  /** The events the server received, in the order sent: an interaction by its id, a choice by its session. */
  const deliveredInOrder = () =>
    proxy.requests
      .filter(({ fault }) => fault === null)
      .flatMap(({ inputs }) => inputs as ({ interactions: { eventId: string }[] } | { sessionId: string })[])
      .flatMap((json) =>
        'interactions' in json
          ? json.interactions.map(({ eventId }) => eventId)
          : [`choice on ${json.sessionId}`],
      );

  serverBehindProxyForSuite((live) => {
    ({ server, proxy } = live);
  });
  beforeEach(async () => {
    await Promise.all(outboxes.splice(0).map((outbox) => outbox.close()));
    proxy.restore();
    proxy.requests.length = 0;
    session = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
  });

  it('keeps events across a reload while the server is unreachable, then delivers each once, in order', async () => {
    proxy.breakDown({ kind: 'reset' });
    const storage = new MapStorage();
    const beforeReload = await openOutbox(storage);
    const first = await beforeReload.recordInteraction(viewed(0));
    const second = await beforeReload.recordInteraction(viewed(1));
    await beforeReload.recordChoice({
      sessionId: session.sessionId,
      chosenManufacturerId: session.recommendations[1]?.manufacturerId ?? null,
      satisfaction: 4,
    });
    const third = await beforeReload.recordInteraction({ ...viewed(2), eventId: randomUUID() });
    expect(beforeReload.pending()).toBe(4);
    await beforeReload.close();

    const afterReload = await openOutbox(storage);
    expect(afterReload.pending()).toBe(4);
    proxy.restore();
    await afterReload.flush();

    expect(afterReload.pending()).toBe(0);
    expect(storage.length).toBe(0);
    expect(deliveredInOrder()).toEqual([
      first.input.eventId,
      second.input.eventId,
      `choice on ${session.sessionId}`,
      third.input.eventId,
    ]);
    const where = { sessionId: session.sessionId };
    expect(await prisma().recommendationInteraction.count({ where })).toBe(3);
    expect(await prisma().customerChoice.count({ where })).toBe(1);
  });

  it('sets aside and reports what the server refuses, keeps it until cleared, and delivers what follows', async () => {
    const storage = new MapStorage();
    const reported: RejectedEvent[] = [];
    const outbox = await openOutbox(storage, (rejection) => reported.push(rejection));
    const refused = await outbox.recordInteraction(viewed(0, randomUUID()));
    await outbox.recordChoice({ sessionId: session.sessionId, chosenManufacturerId: null });
    await outbox.flush();

    expect(reported).toEqual([expect.objectContaining({ event: refused, status: 404 })]);
    expect(reported[0]?.message).toMatch(/No session/);
    expect(outbox.rejected()).toEqual(reported);
    expect(await prisma().customerChoice.count({ where: { sessionId: session.sessionId } })).toBe(1);
    await outbox.close();

    const reopened = await openOutbox(storage);
    expect(reopened.pending()).toBe(0);
    expect(reopened.rejected()).toEqual(reported);
    await reopened.clearRejected();
    expect(reopened.rejected()).toEqual([]);
    expect(storage.length).toBe(0);
  });

  it('sends refused events again once what refused them is put right, even after a reload', async () => {
    const storage = new MapStorage();
    const outbox = await openOutbox(storage);
    // The page reports a view before the matching engine has stored the session it belongs to.
    const lateSessionId = randomUUID();
    const early = await outbox.recordInteraction(viewed(0, lateSessionId));
    await outbox.flush();
    expect(outbox.rejected().map(({ event }) => event)).toEqual([early]);
    await outbox.close();

    await server.client().feedbackLearning.startSession.mutate(sessionRequest({ sessionId: lateSessionId }));
    const reopened = await openOutbox(storage);
    const onTime = await reopened.recordInteraction(viewed(1));
    expect(await reopened.retryRejected()).toBe(1);
    expect(reopened.rejected()).toEqual([]);
    await reopened.flush();

    expect(reopened.rejected()).toEqual([]);
    expect(storage.length).toBe(0);
    expect(deliveredInOrder().slice(-2)).toEqual([onTime.input.eventId, early.input.eventId]);
    expect(await prisma().recommendationInteraction.count({ where: { sessionId: lateSessionId } })).toBe(1);
    expect(await reopened.retryRejected()).toBe(0);
  });

  it('sends the interactions of a delivery in one call beside its choices, and sets aside only those refused', async () => {
    const reused = randomUUID();
    await server.client().feedbackLearning.recordInteraction.mutate({ ...viewed(0), eventId: reused });
    // Recorded while the server is unreachable, so that the next page delivers them all at once.
    // Its attempts are refused before they reach the proxy, so none of them can arrive after it has closed.
    const storage = new MapStorage();
    const offline = await openOutbox(storage, undefined, `http://127.0.0.1:${await freePort()}`);
    const first = await offline.recordInteraction(viewed(0));
    const second = await offline.recordInteraction(viewed(1));
    const unknownSession = await offline.recordInteraction(viewed(0, randomUUID()));
    const notShown = await offline.recordInteraction({ ...viewed(0), manufacturerId: 'never-shown' });
    const conflicting = await offline.recordInteraction({ ...viewed(1), eventId: reused });
    const malformed = await offline.recordInteraction({ ...viewed(2), timeSpentSeconds: -1 });
    await offline.recordChoice({ sessionId: session.sessionId, chosenManufacturerId: null });
    const third = await offline.recordInteraction(viewed(2));
    await offline.close();

    const reported: RejectedEvent[] = [];
    const online = await openOutbox(storage, (rejection) => reported.push(rejection));
    await online.flush();

    // The malformed interaction made the server refuse its whole call; the others in it went again without it.
    expect(proxy.requests.map(({ procedures }) => procedures)).toEqual([
      [
        'feedbackLearning.recordInteractions',
        'feedbackLearning.recordChoice',
        'feedbackLearning.recordInteractions',
      ],
      ['feedbackLearning.recordInteractions'],
    ]);
    expect(reported.map(({ event, status }) => ({ id: event.id, status }))).toEqual([
      { id: malformed.id, status: 400 },
      { id: unknownSession.id, status: 404 },
      { id: notShown.id, status: 400 },
      { id: conflicting.id, status: 409 },
    ]);
    expect(reported[0]?.message).toMatch(/^timeSpentSeconds: /);
    expect(reported[3]?.message).toMatch(/already recorded with different content/);
    const stored = await prisma().recommendationInteraction.findMany({
      where: { sessionId: session.sessionId },
      select: { id: true },
    });
    expect(stored.map(({ id }) => id).sort()).toEqual([reused, first.id, second.id, third.id].sort());
    expect(await prisma().customerChoice.count({ where: { sessionId: session.sessionId } })).toBe(1);
  });

  it("lets pages share it without losing each other's events", async () => {
    proxy.breakDown({ kind: 'error-page', status: 503 });
    const storage = new MapStorage();
    const firstPage = await openOutbox(storage);
    await firstPage.recordInteraction(viewed(0));
    const secondPage = await openOutbox(storage);
    await secondPage.recordInteraction(viewed(1));
    await firstPage.recordInteraction(viewed(2));
    await Promise.all([firstPage.close(), secondPage.close()]);

    const nextPage = await openOutbox(storage);
    expect(nextPage.pending()).toBe(3);
    proxy.restore();
    await nextPage.flush();
    expect(await prisma().recommendationInteraction.count({ where: { sessionId: session.sessionId } })).toBe(
      3,
    );
  });
});
