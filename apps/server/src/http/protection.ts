import { hash } from 'node:crypto';
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import { bearerSecret } from '@matchloop/api';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';

export interface ProtectionOptions {
  /** The largest request body accepted, in bytes; a larger one is answered 413. */
  readonly bodyLimitBytes: number;
  /** How long a client may take to send a whole request, headers and body; a slower one is answered 408. */
  readonly requestTimeoutMs: number;
  /** Requests one key (or, without a key, one client address) may make per window; more are answered 429. */
  readonly rateLimit: number;
  readonly rateLimitWindowMs: number;
  /** Origins whose pages may call the API from a browser, e.g. `https://app.example.com`. */
  readonly corsOrigins: readonly string[];
  /**
   * The load balancers and proxies in front of the server, by address or CIDR range (or `loopback`,
   * `linklocal`, `uniquelocal`). A request from one of them is taken to come from the address it names in
   * X-Forwarded-For, so that clients without a key are rate limited one by one rather than as one; from
   * anyone else, that header is ignored, or a client could name a new address with every request.
   */
  readonly trustedProxies: readonly string[];
}

export const DEFAULT_PROTECTION: ProtectionOptions = {
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  rateLimit: 600,
  rateLimitWindowMs: 60_000,
  corsOrigins: [],
  trustedProxies: [],
};

/** The Fastify options that enforce the body limit and the request timeout, and say whose addresses to trust. */
export function fastifyProtectionOptions(options: ProtectionOptions): {
  bodyLimit: number;
  requestTimeout: number;
  trustProxy: string[] | false;
  http: ServerOptions;
} {
  return {
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    requestTimeout: options.requestTimeoutMs,
    http: {
      // Node derives its headers timeout from this only when creating the server (Fastify sets it later),
      // and while the headers timeout is the longer, a request whose body trickles in is never timed out.
      requestTimeout: options.requestTimeoutMs,
      // Node looks for requests past their time only this often, 30 s by default, which would let a 30 s
      // timeout take a minute; looking ten times per timeout holds it to within a tenth.
      connectionsCheckingInterval: Math.max(1, Math.round(options.requestTimeoutMs / 10)),
    },
  };
}

/**
 * Counts each client's requests in fixed windows that all clients share. Simple, and its memory is bounded
 * by the clients seen in one window; the price is that a client can fit up to twice the limit around a
 * window's end. The counts live in this process: N servers behind a load balancer allow N times the limit.
 */
export class FixedWindowRateLimiter {
  readonly #counts = new Map<string, number>();
  #windowEnd = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `client`: null if it is allowed, else the whole seconds until its window ends. */
  take(client: string): number | null {
    const now = this.now();
    if (now >= this.#windowEnd) {
      this.#counts.clear();
      this.#windowEnd = now - (now % this.windowMs) + this.windowMs;
    }
    const count = (this.#counts.get(client) ?? 0) + 1;
    if (count > this.limit) return Math.ceil((this.#windowEnd - now) / 1000);
    this.#counts.set(client, count);
    return null;
  }
}

/**
 * Who a request counts against: its API key, read as the API reads it so that spelling the header differently
 * does not buy a second allowance, and hashed so that the limiter never holds a secret; or its address.
 */
function rateLimitedClient(authorization: string | undefined, ip: string): string {
  const secret = bearerSecret(authorization);
  return secret ? `key ${hash('sha256', secret, 'hex')}` : `ip ${ip}`;
}

/**
 * The dashboard loads only its own scripts, styles and API, and its icon is a data: URL; nothing may frame
 * it. API responses carry the same policy, which costs nothing and covers a JSON body opened in a browser.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** Preflights are cached this long by the browser (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Security headers on every response, CORS for the allowed origins, and the per-client rate limit, as
 * `onRequest` hooks of the whole server: they run before any body is read, and their headers stay on error
 * responses too. Paths in `unlimitedPaths` (health checks, metrics scrapes) are never rate limited.
 */
export function registerProtection<Logger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>,
  options: ProtectionOptions,
  unlimitedPaths: readonly string[],
): void {
  const allowedOrigins = new Set(options.corsOrigins);
  const limiter = new FixedWindowRateLimiter(options.rateLimit, options.rateLimitWindowMs);
  const unlimited = new Set(unlimitedPaths);

  // A callback hook on every request, cheaper than an async one; the path is read from the URL, as the
  // route's options are built afresh on each read.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS);

    const { origin } = request.headers;
    // Whether CORS headers are sent depends on the Origin, so caches must keep answers apart by it.
    reply.header('vary', 'Origin');
    const allowed = origin !== undefined && allowedOrigins.has(origin);
    if (allowed) {
      reply.header('access-control-allow-origin', origin);
      // So that a page can read when to retry after a 429.
      reply.header('access-control-expose-headers', 'Retry-After');
    }
    if (request.method === 'OPTIONS' && origin && request.headers['access-control-request-method']) {
      // A preflight. The SDK and REST callers send a key and JSON; a browser refuses an origin not allowed
      // here because the answer has no CORS headers.
      if (allowed) {
        reply.headers({
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'Authorization, Content-Type',
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        });
      }
      reply.code(204).send();
      return;
    }

    if (unlimited.has(pathOf(request.url))) {
      done();
      return;
    }
    const retryAfterSeconds = limiter.take(rateLimitedClient(request.headers.authorization, request.ip));
    if (retryAfterSeconds === null) {
      done();
      return;
    }
    reply
      .code(429)
      .header('retry-after', String(retryAfterSeconds))
      .send({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `At most ${options.rateLimit} requests per ${options.rateLimitWindowMs / 1000} s per key: retry in ${retryAfterSeconds} s`,
      });
  });
}

/** A request's path, without its query. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
