import { connect } from 'node:net';
import { createMatchloopClient } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';
import { FixedWindowRateLimiter } from './protection';

describe('the fixed-window rate limiter', () => {
  it('allows each client the limit per window, says when the window ends, and starts afresh in the next', () => {
    let now = 120_250;
    const limiter = new FixedWindowRateLimiter(2, 60_000, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([null, null, null]);
    // The window is [120 000, 180 000): 59.75 s remain, which a client must wait in whole seconds.
    expect(limiter.take('a')).toBe(60);
    now = 179_001;
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeNull();
    now = 180_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([null, null, 60]);
  });
});

const ALLOWED_ORIGIN = 'https://app.example.com';
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function expectSecurityHeaders(response: Response): void {
  expect(
    Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, response.headers.get(name)])),
  ).toEqual(SECURITY_HEADERS);
  expect(response.headers.get('content-security-policy')).toMatch(
    /default-src 'self'.*frame-ancestors 'none'/,
  );
}

/** The HTTP layer does not depend on the database, so these run on the embedded one only. */
describe('the HTTP server’s protection', () => {
  const BODY_LIMIT = 16 * 1024;
  const REQUEST_TIMEOUT_MS = 300;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', {
      bodyLimitBytes: BODY_LIMIT,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      corsOrigins: [ALLOWED_ORIGIN],
    });
  });
  afterAll(() => server?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** A session whose customer id alone takes the body past the limit. */
  const oversizedSession = () => sessionRequest({ customerId: 'x'.repeat(BODY_LIMIT) });

  it('refuses a body over the limit with 413 and a JSON reason, over REST and tRPC alike', async () => {
    for (const response of [
      await post('/feedback-learning/start-session', oversizedSession()),
      await post('/trpc/feedbackLearning.startSession', { json: oversizedSession() }),
    ]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ statusCode: 413, message: 'Request body is too large' });
      expectSecurityHeaders(response);
    }
    // A body sent in chunks, whose length is not announced, is cut off at the limit just the same.
    const chunked = await fetch(`${server.url}/feedback-learning/start-session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: new Blob([JSON.stringify(oversizedSession())]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    expect((await post('/feedback-learning/start-session', sessionRequest())).status).toBe(200);
  });

  it('answers 408 to a client that takes too long to send its request', async () => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    const started = performance.now();
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      // The headers announce a body that never comes.
      socket.write(
        'POST /feedback-learning/start-session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);
  });

  it('puts the security headers on API answers, errors included, and on the dashboard', async () => {
    const answers = [
      await fetch(`${server.url}/feedback-learning/weights?segment=balanced`, {
        headers: { authorization: `Bearer ${server.adminKey}` },
      }),
      await fetch(`${server.url}/feedback-learning/weights?segment=balanced`),
      await post('/trpc/feedbackLearning.startSession', { json: sessionRequest() }),
      await fetch(`${server.url}/no-such-path`),
      await fetch(`${server.url}/health`),
      await fetch(server.url, { headers: { accept: 'text/html' } }),
    ];
    expect(answers.map((response) => response.status)).toEqual([200, 401, 200, 404, 200, 200]);
    for (const response of answers) expectSecurityHeaders(response);
  });

  it('lets the allowed origin call from a browser, and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/trpc/feedbackLearning.startSession`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(
      /^(?=.*\bauthorization\b)(?=.*\bcontent-type\b)/,
    );
    expect(allowed.headers.get('vary')).toMatch(/Origin/);

    const refused = await preflight('https://evil.example.com');
    expect([...refused.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);

    const call = (origin: string) =>
      post('/trpc/feedbackLearning.startSession', { json: sessionRequest() }, { origin });
    const fromAllowed = await call(ALLOWED_ORIGIN);
    expect(fromAllowed.status).toBe(200);
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(fromAllowed.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    // A cache must not hand one origin's answer to another.
    expect(fromAllowed.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect((await call('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the rate limit, per key', () => {
  const LIMIT = 3;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { rateLimit: LIMIT, corsOrigins: [ALLOWED_ORIGIN] });
  });
  afterAll(() => server?.close());

  const weights = (key: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/feedback-learning/weights?segment=balanced`, {
      headers: { authorization: `Bearer ${key}`, ...headers },
    });

  it('answers 429 with Retry-After past the limit, counting REST and tRPC together, and spares other keys', async () => {
    const [busy, quiet] = await Promise.all([server.createKey(['read']), server.createKey(['read'])]);
    expect((await server.client(busy).feedbackLearning.weights.query({ segment: 'balanced' })).segment).toBe(
      'balanced',
    );
    for (let request = 2; request <= LIMIT; request++) expect((await weights(busy)).status).toBe(200);

    // Refused whichever way the header spells the key, and readable by a page of the allowed origin.
    const refused = await weights(busy, { authorization: `bearer  ${busy} `, origin: ALLOWED_ORIGIN });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expectSecurityHeaders(refused);
    // The SDK would wait the refusal out; without retries it shows the refusal itself.
    const impatient = createMatchloopClient({ url: server.url, apiKey: busy, retry: false });
    await expect(impatient.feedbackLearning.weights.query({ segment: 'balanced' })).rejects.toThrow();

    expect((await weights(quiet)).status).toBe(200);
    // Load balancers' health checks and metrics scrapes are never refused.
    for (let request = 0; request <= LIMIT; request++) {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    }
  });
});

describe('the rate limit, per address, behind a load balancer', () => {
  const LIMIT = 2;
  let direct: TestServer;
  let balanced: TestServer;
  beforeAll(async () => {
    [direct, balanced] = await Promise.all([
      startTestServer('pglite', { rateLimit: LIMIT }),
      // Here the test itself, on 127.0.0.1, plays the load balancer.
      startTestServer('pglite', { rateLimit: LIMIT, trustedProxies: ['127.0.0.1'] }),
    ]);
  });
  afterAll(() => Promise.all([direct?.close(), balanced?.close()]));

  /** A request without a key, from the client the balancer says it forwards. */
  const keyless = (server: TestServer, forwardedFor: string) =>
    fetch(`${server.url}/feedback-learning/weights?segment=balanced`, {
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('limits each client the trusted balancer forwards on its own', async () => {
    for (let request = 1; request <= LIMIT; request++) {
      expect((await keyless(balanced, '203.0.113.7')).status).toBe(401);
    }
    expect((await keyless(balanced, '203.0.113.7')).status).toBe(429);
    expect((await keyless(balanced, '203.0.113.8')).status).toBe(401);
  });

  it('ignores the forwarded address from anyone it does not trust, so a new one buys no allowance', async () => {
    for (let request = 1; request <= LIMIT; request++) {
      expect((await keyless(direct, `203.0.113.${request}`)).status).toBe(401);
    }
    expect((await keyless(direct, '203.0.113.99')).status).toBe(429);
  });
});
