import { randomUUID } from 'node:crypto';
import type { AppRouter } from '@matchloop/api';
import type { ApiKeyScope } from '@matchloop/schemas';
import type { inferRouterInputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

type Caller = 'anonymous' | ApiKeyScope;
type Procedure = keyof inferRouterInputs<AppRouter>['feedbackLearning'];
type Call = { method: 'GET' | 'POST'; path: string; body?: () => unknown };

/** Who may call what: every procedure of the contract (a new one does not compile until listed). */
const ALLOWED: Record<Procedure, readonly Caller[]> = {
  startSession: ['ingest', 'admin'],
  recordInteraction: ['ingest', 'admin'],
  recordInteractions: ['ingest', 'admin'],
  recordChoice: ['ingest', 'admin'],
  weights: ['read', 'admin'],
  analytics: ['admin'],
  alerts: ['admin'],
  health: ['anonymous', 'ingest', 'read', 'admin'],
};
const CALLERS: readonly Caller[] = ['anonymous', 'ingest', 'read', 'admin'];

describe('scopes, enforced on every procedure over REST', () => {
  let server: TestServer;
  let keys: Record<Caller, string | undefined>;
  let sessionId: string;
  let shown: string;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    keys = {
      anonymous: undefined,
      ingest: await server.createKey(['ingest']),
      read: await server.createKey(['read']),
      admin: server.adminKey,
    };
    const session = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
    sessionId = session.sessionId;
    shown = session.recommendations[0]?.manufacturerId ?? '';
  });
  afterAll(() => server?.close());

  const calls = (): Record<Procedure, Call> => ({
    startSession: { method: 'POST', path: '/feedback-learning/start-session', body: () => sessionRequest() },
    recordInteraction: {
      method: 'POST',
      path: '/feedback-learning/record-interaction',
      body: () => ({ eventId: randomUUID(), sessionId, manufacturerId: shown, interactionType: 'viewed' }),
    },
    recordInteractions: {
      method: 'POST',
      path: '/feedback-learning/record-interactions',
      body: () => ({
        interactions: [
          { eventId: randomUUID(), sessionId, manufacturerId: shown, interactionType: 'viewed' },
        ],
      }),
    },
    recordChoice: {
      method: 'POST',
      path: '/feedback-learning/record-choice',
      body: () => ({ sessionId, chosenManufacturerId: shown }),
    },
    weights: { method: 'GET', path: '/feedback-learning/weights?segment=balanced' },
    analytics: { method: 'GET', path: '/feedback-learning/analytics' },
    alerts: { method: 'GET', path: '/feedback-learning/alerts' },
    health: { method: 'GET', path: '/feedback-learning/health' },
  });

  it.each(Object.keys(ALLOWED) as Procedure[])(
    '%s answers each kind of caller as its scope says',
    async (procedure) => {
      const call = calls()[procedure];
      for (const caller of CALLERS) {
        const key = keys[caller];
        const response = await fetch(`${server.url}${call.path}`, {
          method: call.method,
          headers: {
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            ...(call.body ? { 'content-type': 'application/json' } : {}),
          },
          ...(call.body ? { body: JSON.stringify(call.body()) } : {}),
        });
        const allowed = ALLOWED[procedure].includes(caller);
        const expected = allowed ? 200 : caller === 'anonymous' ? 401 : 403;
        expect({ caller, status: response.status }).toEqual({ caller, status: expected });
        const body = await response.text();
        // Refusals say why in a sentence, and never carry internals.
        if (!allowed) expect(body).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT |prisma/i);
      }
    },
  );

  it('checks a key once per batch of calls, yet answers each call as its own scope says', async () => {
    const reader = server.client(keys.read);
    // Queries made in one tick travel in one HTTP request, as do mutations.
    const [weights, analytics] = await Promise.allSettled([
      reader.feedbackLearning.weights.query({ segment: 'balanced' }),
      reader.feedbackLearning.analytics.query({}),
    ]);
    expect(weights).toMatchObject({ status: 'fulfilled', value: { segment: 'balanced' } });
    expect(analytics).toMatchObject({ status: 'rejected', reason: { data: { code: 'FORBIDDEN' } } });

    const unknown = server.client('mlk_unknownkey');
    const refusals = await Promise.allSettled([
      unknown.feedbackLearning.startSession.mutate(sessionRequest()),
      unknown.feedbackLearning.recordChoice.mutate({ sessionId, chosenManufacturerId: shown }),
    ]);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: 'rejected', reason: { data: { code: 'UNAUTHORIZED' } } });
    }
  });
});
