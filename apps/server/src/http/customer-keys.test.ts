import { randomUUID } from 'node:crypto';
import { MatchloopError } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

/** The HTTP status and message a refused call answers with. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof MatchloopError) return { status: error.data?.httpStatus, message: error.message };
    throw error;
  }
  throw new Error('the call was expected to be refused');
}

/** A frontend may hold a key for the signed-in customer only; it must not reach anyone else's sessions. */
describe('API keys restricted to one customer', () => {
  let server: TestServer;
  let otherCustomersSession: string;
  let acmeSession: { sessionId: string; manufacturerId: string };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const admin = server.client();
    otherCustomersSession = (
      await admin.feedbackLearning.startSession.mutate(sessionRequest({ customerId: 'globex' }))
    ).sessionId;
    const acme = await admin.feedbackLearning.startSession.mutate(sessionRequest({ customerId: 'acme' }));
    acmeSession = {
      sessionId: acme.sessionId,
      manufacturerId: acme.recommendations[0]?.manufacturerId ?? '',
    };
  });
  afterAll(() => server?.close());

  it('records its own customer’s sessions, choices and interactions', async () => {
    const acmeOnly = server.client(await server.createKey(['ingest'], 'acme'));
    const session = await acmeOnly.feedbackLearning.startSession.mutate(
      sessionRequest({ customerId: 'acme' }),
    );
    await acmeOnly.feedbackLearning.recordInteraction.mutate({
      sessionId: acmeSession.sessionId,
      manufacturerId: acmeSession.manufacturerId,
      interactionType: 'viewed',
    });
    const choice = await acmeOnly.feedbackLearning.recordChoice.mutate({
      sessionId: session.sessionId,
      chosenManufacturerId: session.recommendations[0]?.manufacturerId ?? null,
    });
    expect(choice.chosenRank).toBe(1);
  });

  it('cannot open a session for another customer', async () => {
    const acmeOnly = server.client(await server.createKey(['ingest'], 'acme'));
    expect(
      await refusal(acmeOnly.feedbackLearning.startSession.mutate(sessionRequest({ customerId: 'globex' }))),
    ).toEqual({ status: 403, message: 'This API key acts for another customer' });
  });

  it('sees another customer’s session exactly as a session that does not exist', async () => {
    const acmeOnly = server.client(await server.createKey(['ingest'], 'acme'));
    const unknown = randomUUID();
    const asUnknown = (sessionId: string) => ({ status: 404, message: `No session ${sessionId}` });

    expect(
      await refusal(
        acmeOnly.feedbackLearning.recordChoice.mutate({
          sessionId: otherCustomersSession,
          chosenManufacturerId: null,
        }),
      ),
    ).toEqual(asUnknown(otherCustomersSession));
    expect(
      await refusal(
        acmeOnly.feedbackLearning.recordChoice.mutate({ sessionId: unknown, chosenManufacturerId: null }),
      ),
    ).toEqual(asUnknown(unknown));
    expect(
      await refusal(
        acmeOnly.feedbackLearning.recordInteraction.mutate({
          sessionId: otherCustomersSession,
          manufacturerId: 'acme-cheap',
          interactionType: 'contacted',
        }),
      ),
    ).toEqual(asUnknown(otherCustomersSession));

    // Nothing was written to the other customer's session: its choice is still open to its own customer.
    const globexOnly = server.client(await server.createKey(['ingest'], 'globex'));
    const choice = await globexOnly.feedbackLearning.recordChoice.mutate({
      sessionId: otherCustomersSession,
      chosenManufacturerId: null,
    });
    expect(choice.chosenRank).toBeNull();
    const { overall } = await server.client().feedbackLearning.analytics.query({});
    expect(overall.interactionsPerSession.contacted).toBe(0);
  });

  it('still cannot read analytics, weights or alerts: ingest writes, and only writes', async () => {
    const acmeOnly = server.client(await server.createKey(['ingest'], 'acme'));
    for (const read of [
      acmeOnly.feedbackLearning.analytics.query({}),
      acmeOnly.feedbackLearning.weights.query({ segment: 'balanced' }),
      acmeOnly.feedbackLearning.alerts.query({}),
    ]) {
      expect((await refusal(read)).status).toBe(403);
    }
  });
});
