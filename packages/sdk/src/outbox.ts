import type { AppRouter } from '@matchloop/api/router';
import type {
  InteractionRefusal,
  InteractionResult,
  RecordChoiceInput,
  RecordInteractionInput,
} from '@matchloop/schemas';
import { newRecordId } from '@matchloop/schemas/ids';
import { TRPCClientError } from '@trpc/client';
import { createMatchloopClient, type MatchloopClient, type MatchloopClientOptions } from './client';
import { assertDelays, backoffDelayMs, describeFailure, isTransient } from './retry';

/** An interaction waiting in an outbox. Events are plain JSON, so that any store can keep them. */
export interface OutboxInteraction {
  readonly kind: 'interaction';
  /** The interaction's `eventId`, by which the server stores it once however often it is sent. */
  readonly id: string;
  readonly input: RecordInteractionInput & { readonly eventId: string };
  /** When it was recorded, in ISO 8601. */
  readonly recordedAt: string;
}

/** A choice waiting in an outbox. */
export interface OutboxChoice {
  readonly kind: 'choice';
  /** The outbox's own id for the event. The server knows a choice by its `sessionId`: one per session. */
  readonly id: string;
  readonly input: RecordChoiceInput;
  /** When it was recorded, in ISO 8601. */
  readonly recordedAt: string;
}

export type OutboxEvent = OutboxInteraction | OutboxChoice;

/** An event the server refused for good (400, 401, 403, 404, 409): set aside and never sent again. */
export interface RejectedEvent {
  readonly event: OutboxEvent;
  /** The HTTP status of the refusal. */
  readonly status: number;
  readonly message: string;
  /** When it was refused, in ISO 8601. */
  readonly rejectedAt: string;
}

export interface OutboxContents {
  /** The events still to deliver, in the order they were recorded. */
  readonly pending: readonly OutboxEvent[];
  readonly rejected: readonly RejectedEvent[];
}

/**
 * Where an outbox keeps its events: `localStorageOutboxStore` in browsers, `fileOutboxStore` from
 * `@matchloop/sdk/node` in Node, or any durable place that implements this.
 */
export interface OutboxStore {
  /** Takes the store for one outbox and returns what it holds. */
  open(): Promise<OutboxContents>;
  /** Keeps a new event; resolves once it would survive the process or the page going away. */
  add(event: OutboxEvent): Promise<void>;
  /** Forgets a delivered event. */
  remove(id: string): Promise<void>;
  /** Moves a pending event aside, as refused. */
  reject(rejection: RejectedEvent): Promise<void>;
  /**
   * Moves refused events, by id, back among the pending, after those already there; resolves once that
   * would survive the process or the page going away. An id not among the refused is passed over.
   */
  requeueRejected(ids: readonly string[]): Promise<void>;
  clearRejected(): Promise<void>;
  /** Lets go of the store; the events still pending stay in it for the next outbox. */
  close(): Promise<void>;
}

export interface MatchloopOutboxOptions extends Omit<MatchloopClientOptions, 'retry'> {
  store: OutboxStore;
  /**
   * The wait between attempts while the server cannot take events: random, up to `baseDelayMs` after the
   * first failure and twice as long after each further one, at most `maxDelayMs` (default 500 ms and
   * 10 s), and never shorter than a `Retry-After` the server sent.
   */
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  /** How long one delivery attempt may take before it is abandoned and tried again. Default 30 s. */
  requestTimeoutMs?: number;
  /** Called with each event the server refuses for good; `rejected()` lists them too. */
  onRejected?: (rejection: RejectedEvent) => void;
}

/**
 * Records the frontend's writes durably first, then delivers them in the background in the order
 * recorded, up to 25 in one request, for as long as it takes the server to be reachable again.
 */
export interface MatchloopOutbox {
  /**
   * Keeps an interaction for delivery and resolves, with the event as stored, once it is durable: before
   * it is delivered. The `eventId` is chosen here when the input has none.
   */
  recordInteraction(input: RecordInteractionInput): Promise<OutboxInteraction>;
  /** Keeps a choice for delivery and resolves, with the event as stored, once it is durable. */
  recordChoice(input: RecordChoiceInput): Promise<OutboxChoice>;
  /** How many events are still to deliver, the one being sent included. */
  pending(): number;
  /** The events the server refused for good, oldest first, including those refused before this outbox opened. */
  rejected(): readonly RejectedEvent[];
  /**
   * Sends every refused event again, after those pending, once what refused it has been put right (the
   * session it belongs to stored at last, say, or the key given the scope it lacked). Each keeps its id,
   * so the server stores it once; one refused again is set aside again. Resolves with how many were sent
   * back, once that is durable.
   */
  retryRejected(): Promise<number>;
  clearRejected(): Promise<void>;
  /** Resolves once every event recorded so far is delivered or refused; rejects if the outbox closes first. */
  flush(): Promise<void>;
  /** Stops delivering and lets go of the store. Undelivered events stay in it for the next outbox. */
  close(): Promise<void>;
}

const DEFAULT_BACKOFF = { baseDelayMs: 500, maxDelayMs: 10_000 };
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Opens an outbox on a store, and starts delivering whatever earlier outboxes left in it.
 *
 * ```ts
 * const outbox = await openMatchloopOutbox({ url, apiKey, store: localStorageOutboxStore(localStorage) });
 * await outbox.recordInteraction({ sessionId, manufacturerId, interactionType: 'viewed' });
 * ```
 */
export async function openMatchloopOutbox(options: MatchloopOutboxOptions): Promise<MatchloopOutbox> {
  const backoff = {
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
  };
  assertDelays(backoff);
  // The outbox retries for as long as it takes, so each of its calls is tried once.
  const client = createMatchloopClient({
    url: options.url,
    ...(options.apiKey !== undefined && { apiKey: options.apiKey }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    retry: false,
  });
  const contents = await options.store.open();
  return new Outbox(options, client, backoff, contents);
}

/** How one event fared in a delivery attempt. */
type Attempt =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'refused'; readonly status: number; readonly message: string }
  | { readonly outcome: 'failed'; readonly retryAfterMs: number | undefined }
  /** Sent with a malformed interaction, for which the server refused them all: to be sent again at once. */
  | { readonly outcome: 'unsent' };

const DELIVERED: Attempt = { outcome: 'delivered' };
const UNSENT: Attempt = { outcome: 'unsent' };

/** The HTTP status recordInteraction answers each refusal with, which a refused interaction is kept with. */
const REFUSAL_STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
} as const satisfies Record<InteractionRefusal['code'], number>;

/**
 * Events sent together, in one HTTP request. A backlog (after an outage, or a page that was offline) then
 * drains in few round trips; the server handles the events of one request side by side.
 */
const EVENTS_PER_DELIVERY = 25;

/** One call of a delivery: interactions recorded one after another go in one call, each choice in its own. */
type Call =
  | { readonly kind: 'interactions'; readonly events: OutboxInteraction[] }
  | { readonly kind: 'choice'; readonly events: readonly [OutboxChoice] };

/** The calls that send these events, in the order they were recorded. */
function callsFor(events: readonly OutboxEvent[]): Call[] {
  const calls: Call[] = [];
  for (const event of events) {
    const last = calls.at(-1);
    if (event.kind === 'choice') calls.push({ kind: 'choice', events: [event] });
    else if (last?.kind === 'interactions') last.events.push(event);
    else calls.push({ kind: 'interactions', events: [event] });
  }
  return calls;
}

class Outbox implements MatchloopOutbox {
  readonly #store: OutboxStore;
  readonly #client: MatchloopClient;
  readonly #backoff: { baseDelayMs: number; maxDelayMs: number };
  readonly #requestTimeoutMs: number;
  readonly #onRejected: ((rejection: RejectedEvent) => void) | undefined;
  #queue: OutboxEvent[];
  #rejected: RejectedEvent[];
  /** Failed attempts in a row, which set how long to wait before the next. */
  #failures = 0;
  #delivering = false;
  #delivery: Promise<void> = Promise.resolve();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborts the delivery attempt under way, if any. */
  #abandonAttempt: (() => void) | undefined;
  #flushes: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #closing: Promise<void> | undefined;

  constructor(
    options: MatchloopOutboxOptions,
    client: MatchloopClient,
    backoff: { baseDelayMs: number; maxDelayMs: number },
    contents: OutboxContents,
  ) {
    this.#store = options.store;
    this.#client = client;
    this.#backoff = backoff;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#onRejected = options.onRejected;
    this.#queue = [...contents.pending];
    this.#rejected = [...contents.rejected];
    this.#deliver();
  }

  recordInteraction(input: RecordInteractionInput): Promise<OutboxInteraction> {
    const eventId = input.eventId ?? newRecordId();
    return this.#record({
      kind: 'interaction',
      id: eventId,
      // A copy: the caller may reuse its object, and what is sent must be what was stored.
      input: { ...structuredClone(input), eventId },
      recordedAt: new Date().toISOString(),
    });
  }

  recordChoice(input: RecordChoiceInput): Promise<OutboxChoice> {
    return this.#record({
      kind: 'choice',
      id: newRecordId(),
      input: structuredClone(input),
      recordedAt: new Date().toISOString(),
    });
  }

  pending(): number {
    return this.#queue.length;
  }

  rejected(): readonly RejectedEvent[] {
    return [...this.#rejected];
  }

  async retryRejected(): Promise<number> {
    if (this.#closing) throw new Error('The outbox is closed');
    // Taken now: an event refused while the store works is not among them, and stays set aside.
    const retried = this.#rejected.splice(0);
    if (retried.length === 0) return 0;
    try {
      await this.#store.requeueRejected(retried.map(({ event }) => event.id));
    } catch (error) {
      this.#rejected.unshift(...retried);
      throw error;
    }
    this.#queue.push(...retried.map(({ event }) => event));
    this.#deliver();
    return retried.length;
  }

  async clearRejected(): Promise<void> {
    this.#rejected = [];
    await this.#store.clearRejected();
  }

  flush(): Promise<void> {
    if (this.#closing) return Promise.reject(new Error('The outbox is closed'));
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#flushes.push({ resolve, reject }));
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    clearTimeout(this.#retryTimer);
    this.#abandonAttempt?.();
    const undelivered = new Error(
      `The outbox was closed with ${this.#queue.length} events undelivered; they stay in its store`,
    );
    for (const flush of this.#flushes.splice(0)) flush.reject(undelivered);
    this.#closing = this.#delivery.then(() => this.#store.close());
    return this.#closing;
  }

  async #record<Event extends OutboxEvent>(event: Event): Promise<Event> {
    if (this.#closing) throw new Error('The outbox is closed');
    await this.#store.add(event);
    this.#queue.push(event);
    this.#deliver();
    return event;
  }

  /** Starts delivering, unless already delivering, waiting to retry, or closed. */
  #deliver(): void {
    if (this.#delivering || this.#retryTimer !== undefined || this.#closing) return;
    this.#delivering = true;
    this.#delivery = this.#deliverQueued();
  }

  async #deliverQueued(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closing) {
        const batch = this.#queue.slice(0, EVENTS_PER_DELIVERY);
        const attempts = await this.#send(batch);
        const settled = new Set<OutboxEvent>();
        const bookkeeping: Promise<void>[] = [];
        let retryAfterMs: number | undefined;
        let failed = false;
        batch.forEach((event, index) => {
          const attempt = attempts[index] as Attempt;
          if (attempt.outcome === 'unsent') return;
          if (attempt.outcome === 'failed') {
            failed = true;
            retryAfterMs = Math.max(retryAfterMs ?? 0, attempt.retryAfterMs ?? 0);
            return;
          }
          settled.add(event);
          // Only housekeeping, both: an event the store fails to forget or set aside is sent again by the
          // next outbox, and the server recognises it by its id (or refuses it again).
          if (attempt.outcome === 'delivered') {
            bookkeeping.push(this.#store.remove(event.id).catch(() => {}));
            return;
          }
          const rejection: RejectedEvent = {
            event,
            status: attempt.status,
            message: attempt.message,
            rejectedAt: new Date().toISOString(),
          };
          this.#rejected.push(rejection);
          bookkeeping.push(this.#store.reject(rejection).catch(() => {}));
          // Outside the delivery loop, so that a callback that throws is reported as thrown and stops nothing.
          queueMicrotask(() => this.#onRejected?.(rejection));
        });
        this.#queue = this.#queue.filter((event) => !settled.has(event));
        await Promise.all(bookkeeping);
        if (failed) {
          this.#failures += 1;
          const backoff = backoffDelayMs(this.#failures, this.#backoff);
          if (!this.#closing) this.#retryLater(Math.max(retryAfterMs ?? 0, backoff));
          return;
        }
        this.#failures = 0;
      }
      if (this.#queue.length === 0) for (const flush of this.#flushes.splice(0)) flush.resolve();
    } finally {
      this.#delivering = false;
    }
  }

  /** Sends the events in one request; how each fared, in the same order. */
  async #send(events: readonly OutboxEvent[]): Promise<Attempt[]> {
    const calls = callsFor(events);
    // One signal per call: tRPC listens on each call's signal, and browsers and Node warn when many
    // listeners share one.
    const signals = calls.map(() => new AbortController());
    const abandon = () => {
      for (const signal of signals) signal.abort();
    };
    this.#abandonAttempt = abandon;
    const timeout = setTimeout(abandon, this.#requestTimeoutMs);
    try {
      // Made in the same tick, the calls travel in one HTTP request.
      const attempts = await Promise.all(
        calls.map((call, index) => this.#call(call, (signals[index] as AbortController).signal)),
      );
      return attempts.flat();
    } finally {
      clearTimeout(timeout);
      this.#abandonAttempt = undefined;
    }
  }

  /** Makes one call; how each of its events fared, in order. */
  async #call(call: Call, signal: AbortSignal): Promise<Attempt[]> {
    try {
      if (call.kind === 'choice') {
        await this.#client.feedbackLearning.recordChoice.mutate(call.events[0].input, { signal });
        return [DELIVERED];
      }
      const { results } = await this.#client.feedbackLearning.recordInteractions.mutate(
        { interactions: call.events.map(({ input }) => input) },
        { signal },
      );
      return results.map(interactionAttempt);
    } catch (error) {
      return failedCallAttempts(call, error);
    }
  }

  #retryLater(delayMs: number): void {
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#deliver();
    }, delayMs);
  }
}

function interactionAttempt(result: InteractionResult): Attempt {
  if (result.outcome === 'recorded') return DELIVERED;
  const { code, message } = result.error;
  return { outcome: 'refused', status: REFUSAL_STATUS[code], message };
}

/**
 * How each event of a call that failed as a whole fared. A call refused for malformed interactions (one
 * from an older release of the page, say) refuses those only: the others go again without them.
 */
function failedCallAttempts(call: Call, error: unknown): Attempt[] {
  const failure = describeFailure(error);
  if (failure.status === undefined || isTransient(failure)) {
    return call.events.map(() => ({ outcome: 'failed', retryAfterMs: failure.retryAfterMs }));
  }
  const { status, message } = failure;
  const malformed = malformedInteractions(error);
  if (malformed.size === 0) return call.events.map(() => ({ outcome: 'refused', status, message }));
  return call.events.map((_, index) => {
    const problems = malformed.get(index);
    return problems === undefined ? UNSENT : { outcome: 'refused', status, message: problems };
  });
}

/** The interactions, by position in the call, that the input problems of a refusal name, with their problems. */
function malformedInteractions(error: unknown): Map<number, string> {
  const issues =
    error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data?.zodIssues : undefined;
  const problems = new Map<number, string[]>();
  for (const { path, message } of issues ?? []) {
    const [list, index, ...field] = path;
    if (list !== 'interactions' || typeof index !== 'number') continue;
    problems.set(index, [
      ...(problems.get(index) ?? []),
      field.length > 0 ? `${field.join('.')}: ${message}` : message,
    ]);
  }
  return new Map([...problems].map(([index, messages]) => [index, messages.join('; ')]));
}
