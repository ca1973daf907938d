import { hash, randomUUID } from 'node:crypto';
import { testDatabaseKinds } from '@matchloop/db/testing';
import { startSessionInputSchema } from '@matchloop/schemas';
import { stringify } from 'safe-stable-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATES, factors, sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

const RETRIES = 3;

describe.each(testDatabaseKinds())('retried writes, on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  const count = {
    sessions: (id: string) =>
      server.matchloop.database.prisma.matchingFeedbackSession.count({ where: { id } }),
    recommendations: (sessionId: string) =>
      server.matchloop.database.prisma.matchingRecommendation.count({ where: { sessionId } }),
    choices: (sessionId: string) =>
      server.matchloop.database.prisma.customerChoice.count({ where: { sessionId } }),
    interactions: (id: string) =>
      server.matchloop.database.prisma.recommendationInteraction.count({ where: { id } }),
  };

  it('stores a session sent three times once, and answers each time as the first', async () => {
    const matchloop = server.client();
    const sessionId = randomUUID();
    const responses = [];
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      responses.push(await matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId })));
    }
    expect(responses[1]).toEqual(responses[0]);
    expect(responses[2]).toEqual(responses[0]);
    expect(await count.sessions(sessionId)).toBe(1);
    expect(await count.recommendations(sessionId)).toBe(3);
  });

  it.each(['ranked', 'as_given'] as const)(
    'answers a retry of a %s session with the explanations first given, word for word',
    async (order) => {
      const matchloop = server.client();
      const sessionId = randomUUID();
      // A manufacturer shown for its cost alone is explained by what price-sensitive buyers value most.
      const candidates = [
        { manufacturerId: 'cost-leader', factors: factors({ cost: 1, quality: 0, reliability: 0 }) },
        ...CANDIDATES,
      ];
      const request = sessionRequest({ sessionId, order, candidates });
      const first = await matchloop.feedbackLearning.startSession.mutate(request);
      const costLeader = first.recommendations.find(({ manufacturerId }) => manufacturerId === 'cost-leader');
      expect(costLeader?.explanation.summary).toContain('price-sensitive buyers');
      const retried = await matchloop.feedbackLearning.startSession.mutate(request);
      expect(retried.recommendations.map(({ explanation }) => explanation)).toStrictEqual(
        first.recommendations.map(({ explanation }) => explanation),
      );
    },
  );

  it('stores concurrent retries of one session once', async () => {
    const matchloop = server.client();
    const sessionId = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: RETRIES }, () =>
        matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId })),
      ),
    );
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(await count.sessions(sessionId)).toBe(1);
  });

  it('answers each start of a burst on its own: new, retried, and an id reused for another request', async () => {
    const matchloop = server.client();
    const storedId = randomUUID();
    const stored = await matchloop.feedbackLearning.startSession.mutate(
      sessionRequest({ sessionId: storedId }),
    );
    const newIds = Array.from({ length: 20 }, () => randomUUID());
    // Made in one tick, these travel in one HTTP request and are opened together.
    const burst = await Promise.allSettled([
      ...newIds.map((sessionId) =>
        matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId })),
      ),
      matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId: storedId })),
      matchloop.feedbackLearning.startSession.mutate(
        sessionRequest({ sessionId: storedId, customerId: 'someone-else' }),
      ),
    ]);
    const [retried, reused] = burst.slice(newIds.length);
    const opened = burst.slice(0, newIds.length);
    expect(opened.map((result) => result.status === 'fulfilled' && result.value.sessionId)).toEqual(newIds);
    expect(retried).toEqual({ status: 'fulfilled', value: stored });
    expect(reused).toMatchObject({ status: 'rejected', reason: { data: { code: 'CONFLICT' } } });
    for (const sessionId of newIds) expect(await count.recommendations(sessionId)).toBe(3);
    expect(await count.sessions(storedId)).toBe(1);
  });

  it('answers a retry of a session stored before digests were versioned as it was answered then', async () => {
    const matchloop = server.client();
    const sessionId = randomUUID();
    const first = await matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId }));
    // The digest an earlier version stored: SHA-256, in hex, of the request as parsed, keys sorted.
    const { sessionId: _, ...content } = startSessionInputSchema.parse(sessionRequest({ sessionId }));
    await server.matchloop.database.prisma.matchingFeedbackSession.update({
      where: { id: sessionId },
      data: { requestHash: hash('sha256', stringify(content) ?? '', 'hex') },
    });
    expect(await matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId }))).toEqual(
      first,
    );
    await expect(
      matchloop.feedbackLearning.startSession.mutate(
        sessionRequest({ sessionId, customerId: 'someone-else' }),
      ),
    ).rejects.toMatchObject({ data: { code: 'CONFLICT' } });
    expect(await count.sessions(sessionId)).toBe(1);
  });

  it('stores a choice sent three times once, and learns from it once', async () => {
    const matchloop = server.client();
    const { sessionId, recommendations } = await matchloop.feedbackLearning.startSession.mutate(
      sessionRequest(),
    );
    const choice = {
      sessionId,
      chosenManufacturerId: recommendations[0]?.manufacturerId ?? null,
      satisfaction: 5,
    };
    const before = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    const responses = [];
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      responses.push(await matchloop.feedbackLearning.recordChoice.mutate(choice));
    }
    expect(new Set(responses.map((response) => JSON.stringify(response))).size).toBe(1);
    expect(await count.choices(sessionId)).toBe(1);
    const after = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    expect(after.sampleSize - before.sampleSize).toBe(1);
  });

  it('stores an interaction sent three times once, through the SDK and through REST', async () => {
    const matchloop = server.client();
    const { sessionId, recommendations } = await matchloop.feedbackLearning.startSession.mutate(
      sessionRequest(),
    );
    const interaction = {
      eventId: randomUUID(),
      sessionId,
      manufacturerId: recommendations[0]?.manufacturerId ?? '',
      interactionType: 'viewed' as const,
      timeSpentSeconds: 12.5,
    };
    const viaSdk = await matchloop.feedbackLearning.recordInteraction.mutate(interaction);
    expect(await matchloop.feedbackLearning.recordInteraction.mutate(interaction)).toEqual(viaSdk);
    const viaRest = await fetch(`${server.url}/feedback-learning/record-interaction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
      body: JSON.stringify(interaction),
    });
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({ ...viaSdk, recordedAt: viaSdk.recordedAt.toISOString() });
    expect(await count.interactions(interaction.eventId)).toBe(1);
  });

  it('retries a REST session with the same id three times into one row', async () => {
    const sessionId = randomUUID();
    const bodies = [];
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const response = await fetch(`${server.url}/feedback-learning/start-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
        body: JSON.stringify(sessionRequest({ sessionId })),
      });
      expect(response.status).toBe(200);
      bodies.push(await response.text());
    }
    expect(new Set(bodies).size).toBe(1);
    expect(await count.sessions(sessionId)).toBe(1);
  });
});
