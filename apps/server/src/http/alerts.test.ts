import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { DEFAULT_ALERT_THRESHOLDS } from '@matchloop/learning';
import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningMatchloop, startMatchloop } from '../app';
import { createLogger } from '../logger';
import { CANDIDATES, sessionRequest } from '../testing/fixtures';

const DAY = 86_400_000;
const FAILING_FIRST_REQUESTS = 2;

/** A webhook receiver that answers 503 to its first requests, then accepts and keeps what it is sent. */
interface Receiver {
  readonly url: string;
  readonly requests: number;
  readonly accepted: { event: string; alert: { rule: string; segment: string | null } }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  let requests = 0;
  const accepted: Receiver['accepted'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests += 1;
      if (requests <= FAILING_FIRST_REQUESTS) {
        response.writeHead(503).end();
        return;
      }
      accepted.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/matchloop`,
    get requests() {
      return requests;
    },
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testDatabaseKinds())('alerts, on %s', (kind) => {
  let receiver: Receiver;
  let database: TestDatabase;
  let matchloop: RunningMatchloop;
  let client: MatchloopClient;
  const adminKey = `mlk_test_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    receiver = await startReceiver();
    database = await createTestDatabase(kind);
    matchloop = await startMatchloop({
      database: database.target,
      port: 0,
      host: '127.0.0.1',
      logger: createLogger('silent'),
      bootstrapAdminKey: adminKey,
      alerts: {
        thresholds: { ...DEFAULT_ALERT_THRESHOLDS, minSample: 3 },
        windowMs: 7 * DAY,
        // The test evaluates when it chooses; the schedule must not run in between.
        intervalMs: DAY,
        webhook: { url: receiver.url, attempts: 4, firstRetryDelayMs: 10, timeoutMs: 2000 },
      },
    });
    client = createMatchloopClient({ url: matchloop.url, apiKey: adminKey });
  });
  afterAll(async () => {
    await matchloop?.close();
    await database?.drop();
    await receiver?.close();
  });

  const evaluateTwice = async () => {
    await matchloop.services.alertMonitor.evaluate();
    await matchloop.services.alertMonitor.evaluate();
    await matchloop.services.alertMonitor.deliveriesSettled();
  };

  it('raises an alert once while its figure stays breached, and tells the webhook despite failures', async () => {
    await recordSessions(client, 3, 'none');
    await evaluateTwice();
    const { alerts: firing } = await client.feedbackLearning.analytics.query({});

    expect(firing.map((alert) => [alert.rule, alert.segment]).sort()).toEqual([
      ['low_conversion', null],
      ['low_conversion', 'price_sensitive'],
    ]);
    for (const alert of firing) {
      expect(alert).toMatchObject({
        status: 'firing',
        value: 0,
        threshold: 0.6,
        sampleSize: 3,
        resolvedAt: null,
      });
      expect(alert.message).toMatch(/converted 0\.0% over the last 7 days \(3 sessions\)/);
    }
    const { alerts: all } = await client.feedbackLearning.alerts.query({});
    expect(all).toHaveLength(2);

    // Two refusals, then each raise delivered once.
    expect(receiver.requests).toBe(FAILING_FIRST_REQUESTS + 2);
    expect(receiver.accepted.map((n) => n.event)).toEqual(['alert.raised', 'alert.raised']);
  });

  it('resolves it once when the figure recovers, keeping when and at what value', async () => {
    await recordSessions(client, 6, 1);
    await evaluateTwice();

    const { alerts } = await client.feedbackLearning.alerts.query({ status: 'resolved' });
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert.status).toBe('resolved');
      expect(alert.value).toBe(0);
      expect(alert.resolvedValue).toBeCloseTo(6 / 9, 12);
      expect(alert.resolvedAt?.getTime()).toBeGreaterThanOrEqual(alert.raisedAt.getTime());
    }
    expect((await client.feedbackLearning.analytics.query({})).alerts).toEqual([]);
    expect(receiver.accepted.map((n) => n.event)).toEqual([
      'alert.raised',
      'alert.raised',
      'alert.resolved',
      'alert.resolved',
    ]);
  });

  it('alerts when a segment’s learning confidence has stayed low for the whole period', async () => {
    // Nine choices of the same kind teach little; a week and a day later confidence is still low.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 8 * DAY);
      await evaluateTwice();
    } finally {
      vi.useRealTimers();
    }
    const { alerts } = await client.feedbackLearning.alerts.query({ status: 'firing' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule: 'low_learning_confidence',
      segment: 'price_sensitive',
      threshold: 0.5,
      sampleSize: 9,
    });
    expect(alerts[0]?.value).toBeLessThan(0.5);
    expect(alerts[0]?.message).toMatch(/stayed below 0\.5 for at least 7 days/);
  });

  it('lists every alert over REST, newest first', async () => {
    const response = await fetch(`${matchloop.url}/feedback-learning/alerts?limit=10`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(response.status).toBe(200);
    const { alerts } = (await response.json()) as {
      alerts: { rule: string; status: string; raisedAt: string }[];
    };
    expect(alerts.map((alert) => [alert.rule, alert.status])).toEqual([
      ['low_learning_confidence', 'firing'],
      ['low_conversion', 'resolved'],
      ['low_conversion', 'resolved'],
    ]);
    const raisedAt = alerts.map((alert) => Date.parse(alert.raisedAt));
    expect(raisedAt).toEqual([...raisedAt].sort((a, b) => b - a));
  });
});

/** `count` price-sensitive sessions, each ending with the given rank chosen, or none. */
async function recordSessions(client: MatchloopClient, count: number, rank: number | 'none'): Promise<void> {
  for (let index = 0; index < count; index++) {
    const session = await client.feedbackLearning.startSession.mutate(
      sessionRequest({ customerId: `customer-${rank}-${index}`, order: 'as_given' }),
    );
    await client.feedbackLearning.recordChoice.mutate({
      sessionId: session.sessionId,
      chosenManufacturerId: rank === 'none' ? null : (CANDIDATES[rank - 1]?.manufacturerId as string),
      satisfaction: 5,
    });
  }
}
