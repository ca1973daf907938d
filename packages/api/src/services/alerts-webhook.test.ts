import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '@matchloop/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverNotification, type WebhookOptions } from './alerts-webhook';
import type { ServiceLogger } from './contract';

const ALERT: Alert = {
  id: '00000000-0000-4000-8000-000000000001',
  rule: 'low_conversion',
  segment: null,
  status: 'firing',
  value: 0.4,
  threshold: 0.6,
  sampleSize: 120,
  message: 'All customers converted 40.0% over the last 7 days (120 sessions); the alert threshold is 60.0%.',
  raisedAt: new Date('2026-06-01T12:00:00Z'),
  resolvedAt: null,
  resolvedValue: null,
};

/** A receiver answering each request with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]) {
  const received: { at: number; body: unknown }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ at: performance.now(), body: JSON.parse(body) });
      response.writeHead(statuses[Math.min(received.length, statuses.length) - 1] as number).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const logger: ServiceLogger = {
    info: (_, message) => lines.push({ level: 'info', message }),
    warn: (_, message) => lines.push({ level: 'warn', message }),
    error: (_, message) => lines.push({ level: 'error', message }),
  };
  return { logger, lines };
}

const options = (url: string): WebhookOptions => ({
  url,
  attempts: 4,
  firstRetryDelayMs: 20,
  timeoutMs: 2000,
});

describe('deliverNotification', () => {
  it('retries failures with doubling delays until the receiver accepts', async () => {
    const { url, received } = await receiver([500, 503, 200]);
    const { logger, lines } = recordingLogger();

    expect(await deliverNotification({ event: 'alert.raised', alert: ALERT }, options(url), logger)).toBe(
      true,
    );

    expect(received).toHaveLength(3);
    expect(received[2]?.body).toEqual({
      event: 'alert.raised',
      alert: { ...ALERT, raisedAt: '2026-06-01T12:00:00.000Z' },
    });
    const [first, second, third] = received.map((request) => request.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(19);
    expect(third - second).toBeGreaterThanOrEqual(39);
    expect(lines.map((line) => line.level)).toEqual(['warn', 'warn']);
  });

  it('gives up after the last attempt and logs it as an error', async () => {
    const { url, received } = await receiver([503]);
    const { logger, lines } = recordingLogger();
    expect(await deliverNotification({ event: 'alert.resolved', alert: ALERT }, options(url), logger)).toBe(
      false,
    );
    expect(received).toHaveLength(4);
    expect(lines.at(-1)).toEqual({ level: 'error', message: 'alert webhook failed; giving up' });
  });

  it('does not retry a refusal that asking again cannot change', async () => {
    const { url, received } = await receiver([404]);
    const { logger, lines } = recordingLogger();
    expect(await deliverNotification({ event: 'alert.raised', alert: ALERT }, options(url), logger)).toBe(
      false,
    );
    expect(received).toHaveLength(1);
    expect(lines).toEqual([{ level: 'error', message: 'alert webhook refused the notification' }]);
  });

  it('retries when nothing listens, and stops waiting when shut down', async () => {
    const { logger, lines } = recordingLogger();
    const shutdown = new AbortController();
    const slow = { url: 'http://127.0.0.1:9/', attempts: 5, firstRetryDelayMs: 60_000, timeoutMs: 1000 };
    const delivery = deliverNotification(
      { event: 'alert.raised', alert: ALERT },
      slow,
      logger,
      shutdown.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    shutdown.abort();
    expect(await delivery).toBe(false);
    expect(lines.map((line) => line.message)).toEqual([
      'alert webhook failed; retrying',
      'alert webhook delivery abandoned at shutdown',
    ]);
  });
});
