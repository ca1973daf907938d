import { setTimeout as sleep } from 'node:timers/promises';
import { nearestRank } from './benchmark';

/**
 * Sends one request and settles once it is answered. A rejection fails the whole measurement, except
 * `OutOfWork`, which ends the current run early.
 */
export type SendRequest = () => Promise<unknown>;

/** Thrown by a `SendRequest` that has nothing left to send, e.g. no session left to record a choice in. */
export class OutOfWork extends Error {}

export interface Latencies {
  /** Every counted request's latency, in milliseconds, in no particular order. */
  readonly milliseconds: readonly number[];
  /** How long the counted requests were answered in, in milliseconds. */
  readonly windowMs: number;
}

export interface LoadTarget {
  readonly name: string;
  /**
   * A client of its own, as each user of the API has. Each client of the closed loop, and each request of
   * the open loop, gets one: the SDK batches calls made in the same tick, which must not merge requests that
   * stand for different users.
   */
  readonly connect: () => SendRequest;
  /**
   * Readies what `requests` more requests need (e.g. sessions to record choices in), outside the timed part.
   * Called before each measured run, with more requests than the target's last run suggests it will send.
   */
  readonly prepare?: (requests: number) => Promise<void>;
}

export interface ClosedLoopOptions {
  /**
   * How many requests are kept in flight, each level measured in every round: each client sends its next
   * request once the previous one is answered.
   */
  readonly concurrencies: readonly number[];
  /**
   * Requests each target answers, unmeasured, before its first round, so that its JIT, pools and caches are
   * warm. A count, not a time: V8 compiles a path once it has run often enough, and a fresh server answered
   * startSession at half its settled rate until some 4,000 had been answered, settling after 8,000, where
   * half a second of warm-up had sent a few hundred.
   */
  readonly warmUpRequests: number;
  /** How long each target is measured at each concurrency in each round. */
  readonly roundMs: number;
  readonly rounds: number;
}

/** Each target's latencies at each concurrency, pooled over the rounds. */
export type ClosedLoopLatencies = ReadonlyMap<string, ReadonlyMap<number, Latencies>>;

/** A round may run faster than the last one did: the machine is shared, and its other load comes and goes. */
const PREPARED_MARGIN = 1.5;

/**
 * Drives each target with the same closed loops, taking turns over several rounds so that a burst of load
 * from elsewhere on a shared machine lands on every target rather than skewing one against the others.
 * Each target's latencies at each concurrency are pooled over its rounds.
 */
export async function measureClosedLoop(
  targets: readonly LoadTarget[],
  { concurrencies, warmUpRequests, roundMs, rounds }: ClosedLoopOptions,
): Promise<ClosedLoopLatencies> {
  const [firstConcurrency] = concurrencies;
  if (firstConcurrency === undefined) throw new Error('a closed loop needs at least one concurrency');
  // Each loop readies its round's work from its own last rate: with more in flight, a target may run faster.
  const lastRuns = new Map<string, Map<number, Latencies>>();
  for (const target of targets) {
    const warmedUp = await warmUp(target, firstConcurrency, warmUpRequests);
    lastRuns.set(target.name, new Map(concurrencies.map((concurrency) => [concurrency, warmedUp])));
  }
  const measured = new Map<string, Map<number, Latencies>>(
    targets.map(({ name }) => [
      name,
      new Map(concurrencies.map((concurrency) => [concurrency, { milliseconds: [], windowMs: 0 }])),
    ]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const concurrency of concurrencies) {
      for (const target of targets) {
        const { name, prepare } = target;
        const lastRunsOfTarget = lastRuns.get(name) as Map<number, Latencies>;
        const lastRate = requestsPerSecond(lastRunsOfTarget.get(concurrency) as Latencies);
        await prepare?.(Math.ceil(lastRate * (roundMs / 1000) * PREPARED_MARGIN) + concurrency);
        const run = await closedLoop(target, concurrency, roundMs);
        lastRunsOfTarget.set(concurrency, run);
        const byConcurrency = measured.get(name) as Map<number, Latencies>;
        const pooled = byConcurrency.get(concurrency) as Latencies;
        byConcurrency.set(concurrency, {
          milliseconds: [...pooled.milliseconds, ...run.milliseconds],
          windowMs: pooled.windowMs + run.windowMs,
        });
      }
    }
  }
  return measured;
}

/** A target's highest throughput over the concurrencies it was measured at, and where it reached it. */
export interface Peak {
  readonly concurrency: number;
  readonly latencies: Latencies;
  readonly requestsPerSecond: number;
}

export function peakThroughput(byConcurrency: ReadonlyMap<number, Latencies>): Peak {
  let peak: Peak | undefined;
  for (const [concurrency, latencies] of byConcurrency) {
    const perSecond = requestsPerSecond(latencies);
    if (peak === undefined || perSecond > peak.requestsPerSecond) {
      peak = { concurrency, latencies, requestsPerSecond: perSecond };
    }
  }
  if (peak === undefined) throw new Error('no concurrency was measured');
  return peak;
}

/**
 * Sends `requests` requests (readied first), `concurrency` at a time back to back, or fewer if the target runs
 * out of work, and times them all.
 */
export async function warmUp(
  { connect, prepare }: LoadTarget,
  concurrency: number,
  requests: number,
): Promise<Latencies> {
  await prepare?.(requests);
  const started = performance.now();
  const milliseconds: number[] = [];
  let unsent = requests;
  const client = async () => {
    const send = connect();
    while (unsent > 0) {
      unsent -= 1;
      const sent = performance.now();
      try {
        await send();
      } catch (error) {
        unsent = 0;
        if (error instanceof OutOfWork) return;
        throw error;
      }
      milliseconds.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { milliseconds, windowMs: performance.now() - started };
}

/**
 * Requests each client of a closed loop must have had answered before its run may end, however long that
 * takes: a run shorter than a few requests' latency would measure when the clients happened to start.
 */
const ANSWERS_PER_CLIENT = 2;

/**
 * The latencies of the requests answered within `durationMs` from now (longer if requests are slow, see
 * ANSWERS_PER_CLIENT), or until the target runs out of work, with `concurrency` clients sending back to back.
 * A request answered after the end is waited for but not counted, so that the throughput is the count
 * divided by the window.
 */
export async function closedLoop(
  { connect }: LoadTarget,
  concurrency: number,
  durationMs: number,
): Promise<Latencies> {
  const started = performance.now();
  let end = started + durationMs;
  let clientsShort = concurrency;
  let outOfWork = false;
  let failure: { readonly error: unknown } | undefined;
  const answers: { readonly at: number; readonly latency: number }[] = [];
  const client = async () => {
    const send = connect();
    let answered = 0;
    while (failure === undefined && !outOfWork && (performance.now() < end || clientsShort > 0)) {
      const sent = performance.now();
      try {
        await send();
      } catch (error) {
        if (!(error instanceof OutOfWork)) failure ??= { error };
        else if (!outOfWork) {
          outOfWork = true;
          end = Math.min(end, sent);
        }
        return;
      }
      const at = performance.now();
      answers.push({ at, latency: at - sent });
      answered += 1;
      if (answered === ANSWERS_PER_CLIENT) {
        clientsShort -= 1;
        if (clientsShort === 0 && !outOfWork) end = Math.max(end, at);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  if (failure !== undefined) throw failure.error;
  return {
    milliseconds: answers.filter(({ at }) => at <= end).map(({ latency }) => latency),
    windowMs: end - started,
  };
}

export interface OpenLoopOptions {
  readonly requestsPerSecond: number;
  /** Requests sent, unmeasured, before the measured ones, at the same rate. */
  readonly warmUpMs: number;
  readonly durationMs: number;
}

export interface OpenLoopLatencies extends Latencies {
  /**
   * Whether sending stopped early because the server fell behind by more than MAX_BACKLOG_MS of requests.
   * The latencies are then those of every request sent, warm-up included, and understate a full run's.
   */
  readonly fellBehind: boolean;
}

/**
 * Unanswered requests, in milliseconds of sending, past which an open loop stops: by Little's law their
 * mean latency is already at least this long, and the longer the run, the longer the wait would grow.
 */
const MAX_BACKLOG_MS = 500;

/**
 * The latencies of requests sent at a fixed rate whether or not earlier ones have been answered, as
 * independent users send them. Each latency runs from when its request was due, not from when it left, so a
 * server that falls behind is charged for the wait it causes (no coordinated omission).
 */
export async function measureOpenLoop(
  { connect, prepare }: LoadTarget,
  { requestsPerSecond, warmUpMs, durationMs }: OpenLoopOptions,
): Promise<OpenLoopLatencies> {
  const intervalMs = 1000 / requestsPerSecond;
  const requests = Math.round((warmUpMs + durationMs) / intervalMs);
  const maxBacklog = Math.ceil(MAX_BACKLOG_MS / intervalMs);
  await prepare?.(requests);
  const started = performance.now();
  const measured: number[] = [];
  const all: number[] = [];
  const answers: Promise<void>[] = [];
  let unanswered = 0;
  let failure: { readonly error: unknown } | undefined;
  let fellBehind = false;
  for (let index = 0; index < requests && failure === undefined; index++) {
    const due = started + index * intervalMs;
    const early = due - performance.now();
    if (early > 0) await sleep(early);
    if (unanswered > maxBacklog) {
      fellBehind = true;
      break;
    }
    unanswered += 1;
    answers.push(
      connect()().then(
        () => {
          unanswered -= 1;
          const latency = performance.now() - due;
          all.push(latency);
          if (due >= started + warmUpMs) measured.push(latency);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      ),
    );
  }
  await Promise.all(answers);
  if (failure !== undefined) throw failure.error;
  return fellBehind
    ? { milliseconds: all, windowMs: performance.now() - started, fellBehind }
    : { milliseconds: measured, windowMs: durationMs, fellBehind };
}

export function requestsPerSecond({ milliseconds, windowMs }: Latencies): number {
  return (milliseconds.length * 1000) / windowMs;
}

/** The smallest latency that at least `percent` % of requests did not exceed. */
export function percentile({ milliseconds }: Latencies, percent: number): number {
  if (milliseconds.length === 0) throw new Error('no request was answered in time to be measured');
  return nearestRank(milliseconds, percent);
}
