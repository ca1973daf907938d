import { randomUUID } from 'node:crypto';
import { testDatabaseKinds } from '@matchloop/db/testing';
import { MatchloopError } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

/** The HTTP status and the problems the server reported for a failed SDK call. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  if (!(error instanceof MatchloopError)) throw error;
  return {
    status: error.data?.httpStatus as number,
    message: error.message,
    issues: (error.data?.zodIssues ?? []) as { path: (string | number)[]; message: string }[],
  };
}

describe.each(testDatabaseKinds())('errors a client can make, on %s', (kind) => {
  let server: TestServer;
  let ingestKey: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    ingestKey = await server.createKey(['ingest']);
  });
  afterAll(() => server?.close());

  describe('through the SDK', () => {
    it('rejects bad input with 400 and names every problem', async () => {
      const matchloop = server.client(ingestKey);
      const result = await failure(
        matchloop.feedbackLearning.startSession.mutate({
          customerId: '',
          candidates: [
            {
              manufacturerId: 'm1',
              factors: {
                cost: 2,
                quality: 0.5,
                speed: 0.5,
                proximity: 0.5,
                capability: 0.5,
                reliability: 0.5,
              },
            },
          ],
        }),
      );
      expect(result.status).toBe(400);
      expect(result.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
        'candidates.0.factors.cost',
        'customerId',
      ]);
    });

    it('rejects a manufacturer listed twice in one session', async () => {
      const [first] = sessionRequest().candidates;
      if (!first) throw new Error('fixture has candidates');
      const result = await failure(
        server
          .client(ingestKey)
          .feedbackLearning.startSession.mutate(sessionRequest({ candidates: [first, first] })),
      );
      expect(result.status).toBe(400);
      expect(result.issues[0]?.message).toMatch(/more than once/);
    });

    it('asks for a key (401), refuses an unknown one (401) and a missing scope (403)', async () => {
      expect(
        (await failure(server.client('').feedbackLearning.startSession.mutate(sessionRequest()))).status,
      ).toBe(401);
      const unknown = server.client('mlk_not-a-real-key');
      expect((await failure(unknown.feedbackLearning.startSession.mutate(sessionRequest()))).status).toBe(
        401,
      );

      const ingest = server.client(ingestKey);
      const analytics = await failure(ingest.feedbackLearning.analytics.query({}));
      expect(analytics.status).toBe(403);
      expect(analytics.message).toMatch(/admin/);
      expect((await failure(ingest.feedbackLearning.weights.query({ segment: 'balanced' }))).status).toBe(
        403,
      );

      const reader = server.client(await server.createKey(['read']));
      expect((await failure(reader.feedbackLearning.startSession.mutate(sessionRequest()))).status).toBe(403);
    });

    it('answers 404 for a session that does not exist', async () => {
      const matchloop = server.client(ingestKey);
      const sessionId = randomUUID();
      const choice = await failure(
        matchloop.feedbackLearning.recordChoice.mutate({ sessionId, chosenManufacturerId: null }),
      );
      expect(choice.status).toBe(404);
      const interaction = await failure(
        matchloop.feedbackLearning.recordInteraction.mutate({
          sessionId,
          manufacturerId: 'm1',
          interactionType: 'viewed',
        }),
      );
      expect(interaction.status).toBe(404);
    });

    it('refuses a choice or an interaction naming a manufacturer that was not shown', async () => {
      const matchloop = server.client(ingestKey);
      const { sessionId } = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());
      const choice = await failure(
        matchloop.feedbackLearning.recordChoice.mutate({ sessionId, chosenManufacturerId: 'never-shown' }),
      );
      expect(choice.status).toBe(400);
      expect(choice.message).toMatch(/never-shown was not shown/);
      const interaction = await failure(
        matchloop.feedbackLearning.recordInteraction.mutate({
          sessionId,
          manufacturerId: 'never-shown',
          interactionType: 'viewed',
        }),
      );
      expect(interaction.status).toBe(400);
    });

    it('keeps the first choice and answers 409 to a second, different one', async () => {
      const matchloop = server.client(ingestKey);
      const session = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());
      const [first, second] = session.recommendations;
      if (!first || !second) throw new Error('expected recommendations');
      const recorded = await matchloop.feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        chosenManufacturerId: first.manufacturerId,
      });
      const conflict = await failure(
        matchloop.feedbackLearning.recordChoice.mutate({
          sessionId: session.sessionId,
          chosenManufacturerId: second.manufacturerId,
        }),
      );
      expect(conflict.status).toBe(409);
      const retried = await matchloop.feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        chosenManufacturerId: first.manufacturerId,
      });
      expect(retried).toEqual(recorded);
    });

    it('answers 409 when a session id is reused for a different session', async () => {
      const matchloop = server.client(ingestKey);
      const sessionId = randomUUID();
      await matchloop.feedbackLearning.startSession.mutate(sessionRequest({ sessionId }));
      const reuse = await failure(
        matchloop.feedbackLearning.startSession.mutate(
          sessionRequest({ sessionId, customerId: 'someone-else' }),
        ),
      );
      expect(reuse.status).toBe(409);
    });
  });

  describe('through REST', () => {
    const post = (path: string, body: string, key?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body,
      });

    it('answers malformed JSON with 400, not 500', async () => {
      const response = await post('/feedback-learning/start-session', '{"customerId": ', ingestKey);
      expect(response.status).toBe(400);
    });

    it('answers wrong types with 400 and the zod issues', async () => {
      const response = await post(
        '/feedback-learning/record-choice',
        JSON.stringify({ sessionId: 'not-a-uuid', chosenManufacturerId: 42, satisfaction: 9 }),
        ingestKey,
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { issues?: { path: (string | number)[] }[] };
      expect(body.issues?.map((issue) => issue.path.join('.')).sort()).toEqual([
        'chosenManufacturerId',
        'satisfaction',
        'sessionId',
      ]);
    });

    it('answers 401, 403 and 404 like the SDK', async () => {
      const request = JSON.stringify({ sessionId: randomUUID(), chosenManufacturerId: null });
      expect((await post('/feedback-learning/record-choice', request)).status).toBe(401);
      expect(
        (
          await fetch(`${server.url}/feedback-learning/analytics`, {
            headers: { authorization: `Bearer ${ingestKey}` },
          })
        ).status,
      ).toBe(403);
      expect((await post('/feedback-learning/record-choice', request, ingestKey)).status).toBe(404);
    });

    it('never leaks a stack trace', async () => {
      const response = await post(
        '/feedback-learning/start-session',
        JSON.stringify({ candidates: 'x' }),
        ingestKey,
      );
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/\bat .+\.(ts|js):\d+/);
    });
  });
});

describe('a fault of the server itself', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  // The database is closed on purpose below, so closing it again may complain.
  afterAll(() => server?.close().catch(() => {}));

  it('answers 500 with a plain message: no query, driver text or file path', async () => {
    const analytics = () => server.client().feedbackLearning.analytics.query({});
    await analytics();
    await server.matchloop.database.close();

    expect(await failure(analytics())).toMatchObject({ status: 500, message: 'Internal server error' });
    const response = await fetch(`${server.url}/feedback-learning/analytics`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('Internal server error');
    expect(body).not.toMatch(/prisma|SELECT|pglite|\.ts\b|\/work\/|\bat .+:\d+/i);
  });
});
