import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// Relative imports, not dependencies: @matchloop/server depends on this package, so the reverse would be
// a cycle. Only tests reach into the server, to have a live one to talk to.
import { sessionRequest } from '../../../apps/server/src/testing/fixtures';
import { startTestServer, type TestServer } from '../../../apps/server/src/testing/test-server';
import { createMatchloopClient, type MatchloopClientOptions, MatchloopError } from './index';
import type { FaultInjectingProxy, ProxiedRequest } from './testing/fault-injecting-proxy';
import { serverBehindProxyForSuite } from './testing/server-behind-proxy';

/** Short waits, so that a test retrying a few times takes milliseconds. */
const QUICK_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

/** The input of a request's first call. */
function firstInput({ inputs }: ProxiedRequest): Record<string, unknown> {
  return (inputs[0] ?? {}) as Record<string, unknown>;
}

describe('the client, retrying through a proxy that fails on purpose', () => {
  let server: TestServer;
  let proxy: FaultInjectingProxy;
  const client = (options: Partial<MatchloopClientOptions> = {}) =>
    createMatchloopClient({ url: proxy.url, apiKey: server.adminKey, retry: QUICK_RETRY, ...options });
  const prisma = () => server.matchloop.database.prisma;

  serverBehindProxyForSuite((live) => {
    ({ server, proxy } = live);
  });
  beforeEach(() => {
    proxy.requests.length = 0;
  });

  it('retries a read through error pages and dropped connections, and returns the answer', async () => {
    proxy.inject({ kind: 'error-page', status: 503 }, { kind: 'reset' }, { kind: 'error-page', status: 502 });
    const weights = await client().feedbackLearning.weights.query({ segment: 'balanced' });
    expect(weights.segment).toBe('balanced');
    expect(proxy.requests.map(({ fault }) => fault)).toEqual(['error-page', 'reset', 'error-page', null]);
  });

  it('gives a write its id before the first attempt, so a retry after a lost answer stores it once', async () => {
    const matchloop = client();
    const customerId = `customer-${randomUUID()}`;
    proxy.inject({ kind: 'lost-answer' });
    const session = await matchloop.feedbackLearning.startSession.mutate(sessionRequest({ customerId }));
    proxy.inject({ kind: 'lost-answer' });
    const interaction = await matchloop.feedbackLearning.recordInteraction.mutate({
      sessionId: session.sessionId,
      manufacturerId: session.recommendations[0]?.manufacturerId ?? '',
      interactionType: 'viewed',
    });

    const [startAttempts, interactionAttempts] = [proxy.requests.slice(0, 2), proxy.requests.slice(2)];
    expect(startAttempts.map((request) => firstInput(request).sessionId)).toEqual([
      session.sessionId,
      session.sessionId,
    ]);
    expect(interactionAttempts.map((request) => firstInput(request).eventId)).toEqual([
      interaction.eventId,
      interaction.eventId,
    ]);
    // Time-ordered (UUIDv7), so that the rows they key land at the end of the database's indexes.
    expect(session.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    expect(interaction.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    expect(await prisma().matchingFeedbackSession.count({ where: { customerId } })).toBe(1);
    expect(await prisma().recommendationInteraction.count({ where: { sessionId: session.sessionId } })).toBe(
      1,
    );
  });

  it('gives each interaction of a bulk call lacking an id its own before the first attempt', async () => {
    const matchloop = client();
    const session = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());
    const chosenId = randomUUID();
    const interactions = session.recommendations.map(({ manufacturerId }, index) => ({
      sessionId: session.sessionId,
      manufacturerId,
      interactionType: 'viewed' as const,
      ...(index === 0 && { eventId: chosenId }),
    }));
    proxy.requests.length = 0;
    proxy.inject({ kind: 'lost-answer' });
    const { results } = await matchloop.feedbackLearning.recordInteractions.mutate({ interactions });

    const answered = results.map((result) => (result.outcome === 'recorded' ? result.eventId : null));
    const sent = proxy.requests.map((request) =>
      (firstInput(request).interactions as { eventId: string }[]).map(({ eventId }) => eventId),
    );
    expect(sent).toEqual([answered, answered]);
    expect(answered[0]).toBe(chosenId);
    expect(new Set(answered).size).toBe(interactions.length);
    expect(await prisma().recommendationInteraction.count({ where: { sessionId: session.sessionId } })).toBe(
      interactions.length,
    );
  });

  it('keeps the id the caller chose', async () => {
    const sessionId = randomUUID();
    proxy.inject({ kind: 'reset' });
    const session = await client().feedbackLearning.startSession.mutate(sessionRequest({ sessionId }));
    expect(session.sessionId).toBe(sessionId);
    expect(proxy.requests.map((request) => firstInput(request).sessionId)).toEqual([sessionId, sessionId]);
  });

  it('waits as long as Retry-After asks before trying again', async () => {
    proxy.inject({ kind: 'error-page', status: 429, retryAfter: '1' });
    const started = performance.now();
    await client({ retry: { ...QUICK_RETRY, maxDelayMs: 2000 } }).feedbackLearning.weights.query({
      segment: 'balanced',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(proxy.requests).toHaveLength(2);
  });

  it('fails at once when Retry-After asks for a longer wait than the client allows', async () => {
    proxy.inject({ kind: 'error-page', status: 503, retryAfter: '60' });
    const failure = await client()
      .feedbackLearning.weights.query({ segment: 'balanced' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MatchloopError);
    expect((failure as MatchloopError<never>).message).toMatch(/HTTP 503/);
    expect(proxy.requests).toHaveLength(1);
  });

  it('never retries a refusal: the API says 404, or a proxy answers 404 with a page of its own', async () => {
    const unknownSession = {
      sessionId: randomUUID(),
      chosenManufacturerId: null,
    };
    const refusal = await client()
      .feedbackLearning.recordChoice.mutate(unknownSession)
      .catch((error: unknown) => error);
    expect((refusal as MatchloopError<never>).data).toMatchObject({ httpStatus: 404, code: 'NOT_FOUND' });

    proxy.inject({ kind: 'error-page', status: 404 });
    const pageNotFound = await client()
      .feedbackLearning.weights.query({ segment: 'balanced' })
      .catch((error: unknown) => error);
    expect((pageNotFound as MatchloopError<never>).message).toMatch(/HTTP 404/);
    expect((pageNotFound as MatchloopError<never>).data).toBeUndefined();
    expect(proxy.requests).toHaveLength(2);
  });

  it('gives up after the attempts allowed, with the last failure', async () => {
    proxy.breakDown({ kind: 'error-page', status: 503 });
    try {
      const failure = await client({ retry: { ...QUICK_RETRY, attempts: 3 } })
        .feedbackLearning.weights.query({ segment: 'balanced' })
        .catch((error: unknown) => error);
      expect((failure as MatchloopError<never>).message).toMatch(/HTTP 503/);
      expect(proxy.requests).toHaveLength(3);
    } finally {
      proxy.restore();
    }
  });

  it('tries each call once with retry: false', async () => {
    proxy.inject({ kind: 'reset' });
    await expect(
      client({ retry: false }).feedbackLearning.weights.query({ segment: 'balanced' }),
    ).rejects.toBeInstanceOf(MatchloopError);
    expect(proxy.requests).toHaveLength(1);
  });

  it('retries each call of a failed batch, and none of a batch the server refused in part', async () => {
    const matchloop = client();
    proxy.inject({ kind: 'reset' });
    const [balanced, premium] = await Promise.all([
      matchloop.feedbackLearning.weights.query({ segment: 'balanced' }),
      matchloop.feedbackLearning.weights.query({ segment: 'premium_buyer' }),
    ]);
    expect([balanced.segment, premium.segment]).toEqual(['balanced', 'premium_buyer']);
    expect(proxy.requests[0]?.path).toMatch(/^\/trpc\/feedbackLearning\.weights,feedbackLearning\.weights\?/);
    expect(proxy.requests[0]?.fault).toBe('reset');

    proxy.requests.length = 0;
    const [started, refused] = await Promise.allSettled([
      matchloop.feedbackLearning.startSession.mutate(sessionRequest()),
      matchloop.feedbackLearning.recordChoice.mutate({ sessionId: randomUUID(), chosenManufacturerId: null }),
    ]);
    expect(started.status).toBe('fulfilled');
    expect(refused).toMatchObject({ status: 'rejected', reason: { data: { httpStatus: 404 } } });
    expect(proxy.requests).toHaveLength(1);
  });
});

describe("the client, against the server's own rate limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { rateLimit: 1, rateLimitWindowMs: 1000 });
  });
  afterAll(() => server?.close());

  it('waits out a 429 for as long as its Retry-After says, instead of spending its attempts', async () => {
    let requests = 0;
    const countingFetch: typeof fetch = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const options = { url: server.url, apiKey: server.adminKey, fetch: countingFetch };
    const once = createMatchloopClient({ ...options, retry: false });
    const retrying = createMatchloopClient({
      ...options,
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 2000 },
    });

    // Spends this window's allowance, so that the next request is refused until the window ends.
    let refusal: unknown;
    while (!refusal) {
      refusal = await once.feedbackLearning.weights.query({ segment: 'balanced' }).then(
        () => undefined,
        (error: unknown) => error,
      );
    }
    expect((refusal as MatchloopError<never>).meta?.response).toMatchObject({ status: 429 });

    requests = 0;
    const weights = await retrying.feedbackLearning.weights.query({ segment: 'balanced' });
    expect(weights.segment).toBe('balanced');
    // Without waiting for Retry-After, three quick attempts would all land in the same window.
    expect(requests).toBeLessThanOrEqual(2);
  });
});
