import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

/** A UUID of version 7: 48 bits of Unix milliseconds first, then the version digit. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The product's endpoints as plain JSON, for clients in other languages. */
describe('the REST mirror', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('runs a whole session at the product’s paths', async () => {
    const started = await call(
      'POST',
      '/feedback-learning/start-session',
      sessionRequest({ customerId: 'rest-client' }),
    );
    expect(started.status).toBe(200);
    const sessionId = started.body.sessionId as string;
    const [top] = started.body.recommendations as { manufacturerId: string }[];

    const interaction = await call('POST', '/feedback-learning/record-interaction', {
      sessionId,
      manufacturerId: top?.manufacturerId,
      interactionType: 'contacted',
    });
    expect(interaction.status).toBe(200);
    expect(typeof interaction.body.recordedAt).toBe('string');

    const choice = await call('POST', '/feedback-learning/record-choice', {
      sessionId,
      chosenManufacturerId: top?.manufacturerId,
      satisfaction: 5,
    });
    expect(choice).toMatchObject({ status: 200, body: { chosenRank: 1 } });

    const weights = await call('GET', '/feedback-learning/weights?segment=price_sensitive');
    expect(weights).toMatchObject({ status: 200, body: { segment: 'price_sensitive', sampleSize: 1 } });

    const analytics = await call(
      'GET',
      '/feedback-learning/analytics?segment=price_sensitive&complexity=moderate',
    );
    expect(analytics.status).toBe(200);
    expect(analytics.body.overall).toMatchObject({
      sessions: 1,
      choices: 1,
      conversionRate: 1,
      averageChosenRank: 1,
    });
  });

  it('gives sessions and interactions sent without ids time-ordered ids (UUIDv7), which sort as they were made', async () => {
    const start = () =>
      call('POST', '/feedback-learning/start-session', sessionRequest({ customerId: 'rest-client' }));
    const ids = [];
    for (let session = 0; session < 3; session++) ids.push((await start()).body.sessionId as string);
    const interaction = await call('POST', '/feedback-learning/record-interaction', {
      sessionId: ids[0],
      manufacturerId: sessionRequest().candidates[0]?.manufacturerId,
      interactionType: 'viewed',
    });

    for (const id of [...ids, interaction.body.eventId]) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
  });

  it('accepts an analytics time window as ISO dates and rejects a reversed one', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const window = await call('GET', `/feedback-learning/analytics?from=${from}&to=${to}`);
    expect(window.status).toBe(200);
    const reversed = await call('GET', `/feedback-learning/analytics?from=${to}&to=${from}`);
    expect(reversed.status).toBe(400);
  });

  it('reads whole numbers from the query only as decimal digits, saying why it refuses the rest', async () => {
    const weights = (minVersion: string) =>
      call('GET', `/feedback-learning/weights?segment=balanced&minVersion=${minVersion}`);
    expect((await weights('0')).status).toBe(200);
    // An empty value is a value not given, as a form sends a field left blank.
    expect((await weights('')).status).toBe(200);
    for (const spelled of ['%20', '0x10', '1e3', '-1', '2.5']) {
      const refused = await weights(spelled);
      expect(refused.status, `minVersion=${spelled}`).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('Expected a whole number from 0 to');
    }
    expect((await call('GET', '/feedback-learning/alerts?limit=2')).status).toBe(200);
    expect((await call('GET', '/feedback-learning/alerts?limit=0')).status).toBe(400);
    expect((await call('GET', '/feedback-learning/alerts?limit=%2B5')).status).toBe(400);
    // Over tRPC, the same fields take numbers.
    const answer = await server
      .client()
      .feedbackLearning.weights.query({ segment: 'balanced', minVersion: 0 });
    expect(answer.segment).toBe('balanced');
  });

  it('answers health without a key, at both paths a load balancer may use', async () => {
    for (const path of ['/feedback-learning/health', '/health']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } });
    }
  });

  it('publishes an OpenAPI document describing every endpoint of the contract', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(
      Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    ).toEqual(
      expect.arrayContaining([
        'POST /feedback-learning/start-session',
        'POST /feedback-learning/record-choice',
        'POST /feedback-learning/record-interaction',
        'GET /feedback-learning/analytics',
        'GET /feedback-learning/health',
        'GET /feedback-learning/weights',
      ]),
    );
  });
});
