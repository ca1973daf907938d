import type { AppRouter } from '@matchloop/api/router';
import { newRecordId } from '@matchloop/schemas/ids';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyMutationProcedure, AnyProcedure } from '@trpc/server';
import { observable } from '@trpc/server/observable';

export interface RetryOptions {
  /** How many times a call is tried in all, the first time included. Default 5. */
  attempts?: number;
  /** The first retry waits a random time up to this; each further retry up to twice as long. Default 200 ms. */
  baseDelayMs?: number;
  /**
   * No wait is longer than this. A server that asks (by `Retry-After`) for a longer wait is not retried:
   * the call fails at once rather than later. Default 5000 ms.
   */
  maxDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The options given, the defaults for the rest; a nonsensical value fails here rather than mid-outage. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy: RetryPolicy = {
    attempts: options.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be a whole number of at least 1, not ${policy.attempts}`);
  }
  assertDelays(policy);
  return policy;
}

/** Both delays non-negative, and the base no longer than the cap. */
export function assertDelays({
  baseDelayMs,
  maxDelayMs,
}: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): void {
  if (!(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs)) {
    throw new RangeError(
      `retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs, not ${baseDelayMs} and ${maxDelayMs}`,
    );
  }
}

/** What a failed call tells about whether trying again can help. */
export interface Failure {
  /** The HTTP status, when an answer came back; undefined when none did (network failure, timeout). */
  readonly status: number | undefined;
  /** How long the server asked the client to wait before trying again (`Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
  readonly message: string;
}

/** No answer, a server failure, a timeout (408) or a rate limit (429): the same request may succeed later. */
export function isTransient({ status }: Failure): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** A random wait in [0, min(max, base · 2^(retry − 1))): "full jitter", so clients recovering together spread out. */
export function backoffDelayMs(
  retry: number,
  { baseDelayMs, maxDelayMs }: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
}

interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

function isResponseLike(value: unknown): value is ResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ResponseLike).status === 'number' &&
    typeof (value as ResponseLike).headers?.get === 'function'
  );
}

/**
 * Thrown by the client's fetch for an error response that is not JSON: a proxy's or load balancer's
 * error page. tRPC would otherwise fail to parse it and forget its status, and a 404 page would look
 * like a network failure worth retrying.
 */
class ErrorPageResponse extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | null,
    statusText: string,
  ) {
    super(`HTTP ${[status, statusText].filter(Boolean).join(' ')}, without an API response`);
    this.name = 'ErrorPageResponse';
  }
}

/** `fetch`, failing with the status of an error response that carries no API answer (see ErrorPageResponse). */
export function withErrorPageStatus(fetchImpl: typeof globalThis.fetch | undefined): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await (fetchImpl ?? globalThis.fetch)(input, init);
    if (response.ok || response.headers.get('content-type')?.includes('json')) return response;
    await response.body?.cancel();
    throw new ErrorPageResponse(response.status, response.headers.get('retry-after'), response.statusText);
  };
}

/** Reads what a failed call of the client tells about retrying. */
export function describeFailure(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof TRPCClientError)) return { status: undefined, retryAfterMs: undefined, message };
  if (error.cause instanceof ErrorPageResponse) {
    const { status, retryAfter } = error.cause;
    return { status, retryAfterMs: parseRetryAfter(retryAfter), message };
  }
  // An API error names its status in `data`; a JSON answer in another shape (the rate limiter's 429) only
  // in the response, which tRPC keeps in `meta`. A success status without an API answer is no answer.
  const response = (error as TRPCClientError<AppRouter>).meta?.response;
  const data = (error as TRPCClientError<AppRouter>).data;
  const errorStatus = isResponseLike(response) && response.status >= 400 ? response.status : undefined;
  const status = data?.httpStatus ?? errorStatus;
  const retryAfter = isResponseLike(response) ? response.headers.get('retry-after') : null;
  return { status, retryAfterMs: parseRetryAfter(retryAfter), message };
}

/** `Retry-After` is either whole seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The dotted paths of the router's mutations, e.g. `feedbackLearning.startSession`. */
type MutationPath<Record, Prefix extends string = ''> = {
  [Key in keyof Record & string]: Record[Key] extends AnyMutationProcedure
    ? `${Prefix}${Key}`
    : Record[Key] extends AnyProcedure
      ? never
      : MutationPath<Record[Key], `${Prefix}${Key}.`>;
}[keyof Record & string];

type Input = Readonly<Record<string, unknown>>;
/** Returns the input with a fresh id wherever the write needs one and the caller chose none. */
type GiveIds = (input: Input) => Input;

/** Gives an input lacking the id in `field` a fresh one. */
function withId(field: string): GiveIds {
  return (input) => (input[field] !== undefined ? input : { ...input, [field]: newRecordId() });
}

/** Gives each item of the list in `field` its id. */
function eachWithId(field: string, giveId: GiveIds): GiveIds {
  return (input) => {
    const items = input[field];
    if (!Array.isArray(items)) return input;
    return { ...input, [field]: items.map((item) => (isInput(item) ? giveId(item) : item)) };
  };
}

function isInput(value: unknown): value is Input {
  return typeof value === 'object' && value !== null;
}

/**
 * Every write, and how it is given the client-chosen ids that make sending it twice harmless. A choice
 * needs none: a session takes one choice, so its `sessionId` is its key. Typed against the router, so a
 * new mutation does not compile until someone decides how it is made safe to retry.
 */
const IDEMPOTENCY_KEYS = {
  'feedbackLearning.startSession': withId('sessionId'),
  'feedbackLearning.recordInteraction': withId('eventId'),
  'feedbackLearning.recordInteractions': eachWithId('interactions', withId('eventId')),
  'feedbackLearning.recordChoice': null,
} as const satisfies Record<MutationPath<AppRouter['_def']['record']>, GiveIds | null>;

function giveIdsFor(path: string): GiveIds | null {
  return Object.hasOwn(IDEMPOTENCY_KEYS, path)
    ? IDEMPOTENCY_KEYS[path as keyof typeof IDEMPOTENCY_KEYS]
    : null;
}

/**
 * Gives a write that lacks its ids fresh ones, before the first attempt, so that every retry below this
 * link sends the same ids and the server stores the write once.
 */
export function idempotencyLink(): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) => {
      const giveIds = op.type === 'mutation' ? giveIdsFor(op.path) : null;
      if (giveIds === null || !isInput(op.input)) return next(op);
      return next({ ...op, input: giveIds(op.input) });
    };
}

/**
 * Retries a call that failed transiently (see `isTransient`) with exponential backoff and full jitter,
 * waiting at least what `Retry-After` asks. Only reads and the writes in IDEMPOTENCY_KEYS are retried.
 * Each call is retried on its own: calls that shared a failed batch go out again as they become due.
 */
export function retryLink(policy: RetryPolicy): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const retriable = op.type === 'query' || Object.hasOwn(IDEMPOTENCY_KEYS, op.path);
        let attempt = 0;
        let current: { unsubscribe(): void } | undefined;
        let waiting: ReturnType<typeof setTimeout> | undefined;
        const send = () => {
          attempt += 1;
          current = next(op).subscribe({
            next: (result) => observer.next(result),
            complete: () => observer.complete(),
            error: (error) => {
              const delayMs =
                retriable && attempt < policy.attempts && !op.signal?.aborted
                  ? retryDelayMs(describeFailure(error), attempt, policy)
                  : undefined;
              if (delayMs === undefined) observer.error(error);
              else waiting = setTimeout(send, delayMs);
            },
          });
        };
        send();
        return () => {
          clearTimeout(waiting);
          current?.unsubscribe();
        };
      });
}

/** How long to wait before retry number `retry`, or undefined when the failure is not worth retrying. */
function retryDelayMs(failure: Failure, retry: number, policy: RetryPolicy): number | undefined {
  if (!isTransient(failure)) return undefined;
  const backoff = backoffDelayMs(retry, policy);
  if (failure.retryAfterMs === undefined) return backoff;
  return failure.retryAfterMs > policy.maxDelayMs ? undefined : Math.max(failure.retryAfterMs, backoff);
}
