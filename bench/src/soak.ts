import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type DatabaseTarget, openDatabase } from '@matchloop/db';
import { createTestDatabase } from '@matchloop/db/testing';
import { FACTORS, INTERACTION_TYPES, SEGMENTS } from '@matchloop/schemas';
import {
  type AppRouter,
  type Candidate,
  createMatchloopClient,
  type MatchloopClient,
  MatchloopError,
  type MatchloopOutbox,
  openMatchloopOutbox,
} from '@matchloop/sdk';
import { fileOutboxStore } from '@matchloop/sdk/node';
import { freePort } from '../../apps/server/src/testing/server-process';
import { type Benchmark, type Figure, nearestRank } from './benchmark';
import { runCommand, SupervisedServer, unavailableCommand } from './soak-faults';

export interface SoakOptions {
  readonly minutes: number;
  /** Operations started per second, whatever became of the earlier ones. */
  readonly rate: number;
  readonly killEverySeconds: number;
  /** How long a killed server stays down before it is started again. */
  readonly downSeconds: number;
  readonly postgresRestarts: number;
  readonly postgresRestartCommand: string;
  /** A database to use as it is; without one, a fresh one is made on MATCHLOOP_TEST_POSTGRES_URL's server. */
  readonly databaseUrl: string | undefined;
}

const USAGE = `pnpm bench:soak [--minutes 3] [--rate 50] [--kill-every 40] [--down 2] [--postgres-restarts 2]
                [--postgres-restart-command 'pg_ctlcluster 15 main restart'] [--database-url postgres://…]
Each flag can also be given as an environment variable: MATCHLOOP_SOAK_MINUTES, MATCHLOOP_SOAK_RATE, …`;

/** The soak's options from its flags, else MATCHLOOP_SOAK_* variables, else the defaults. */
export function parseSoakOptions(args: readonly string[], env: NodeJS.ProcessEnv): SoakOptions {
  const flags = {
    minutes: { type: 'string' },
    rate: { type: 'string' },
    'kill-every': { type: 'string' },
    down: { type: 'string' },
    'postgres-restarts': { type: 'string' },
    'postgres-restart-command': { type: 'string' },
    'database-url': { type: 'string' },
  } as const;
  const { values } = parseArgs({ args: [...args], options: flags, strict: true });
  const setting = (flag: keyof typeof flags): string | undefined =>
    values[flag] ?? env[`MATCHLOOP_SOAK_${flag.toUpperCase().replaceAll('-', '_')}`];
  const number = (flag: keyof typeof flags, fallback: number, least: number): number => {
    const text = setting(flag);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < least) {
      throw new Error(`--${flag} must be a number of at least ${least}, not ${text}\n${USAGE}`);
    }
    return value;
  };
  return {
    minutes: number('minutes', 3, 0.1),
    rate: number('rate', 50, 1),
    killEverySeconds: number('kill-every', 40, 5),
    downSeconds: number('down', 2, 0),
    postgresRestarts: Math.floor(number('postgres-restarts', 2, 0)),
    postgresRestartCommand: setting('postgres-restart-command') ?? 'pg_ctlcluster 15 main restart',
    databaseUrl: setting('database-url'),
  };
}

/** What the clients do, and in what proportion. */
const MIX = [
  { operation: 'startSession', share: 0.25 },
  { operation: 'recordInteraction', share: 0.4 },
  { operation: 'recordChoice', share: 0.15 },
  { operation: 'weights', share: 0.2 },
] as const;
type Operation = (typeof MIX)[number]['operation'];

const MANUFACTURERS_PER_SESSION = 5;
/** How long the outbox may take to deliver its backlog once the load stops. */
const DRAIN_TIMEOUT_MS = 120_000;

interface OpenSession {
  readonly sessionId: string;
  readonly manufacturerIds: readonly string[];
}

/** Every call's outcome, as the clients saw it. */
class Ledger {
  readonly latencies = new Map<Operation, number[]>(MIX.map(({ operation }) => [operation, []]));
  /** Calls that failed even after the client's retries, by operation and why. */
  readonly failures = new Map<string, number>();
  /** HTTP requests sent, and those that failed, by why. */
  httpRequests = 0;
  readonly httpFailures = new Map<string, number>();
  readonly acknowledgedCustomers = new Set<string>();
  /** Each interaction's marker, and when the outbox acknowledged it. */
  readonly acknowledgedInteractions = new Map<string, number>();
  /** Each choice's session, and when the outbox acknowledged it. */
  readonly acknowledgedChoices = new Map<string, number>();

  count(counts: Map<string, number>, key: string): void {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

/**
 * The delivery guarantees under faults (issue "Reliability", item 8): mixed load at a fixed rate through
 * the SDK (retrying client for sessions and weights, file outbox for the frontend's events) against a real
 * server process on PostgreSQL, while the server is killed every `killEverySeconds` and PostgreSQL itself
 * is restarted. At the end, every write a client was told succeeded must be stored exactly once.
 */
export function soakBenchmark(options: SoakOptions): Benchmark {
  return { name: 'soak', run: () => soak(options) };
}

async function soak(options: SoakOptions): Promise<Figure[]> {
  if (!options.databaseUrl && !process.env.MATCHLOOP_TEST_POSTGRES_URL) {
    throw new Error(
      'the soak runs on PostgreSQL: set MATCHLOOP_TEST_POSTGRES_URL to a server it may create a database on, ' +
        `or give it a database with --database-url\n${USAGE}`,
    );
  }
  const fresh = options.databaseUrl ? undefined : await createTestDatabase('postgres');
  const target: DatabaseTarget = fresh?.target ?? { kind: 'postgres', url: options.databaseUrl as string };
  if (target.kind !== 'postgres') throw new Error('the soak runs on PostgreSQL');
  const adminKey = `mlk_soak_${randomBytes(24).toString('base64url')}`;
  const server = new SupervisedServer({
    PORT: String(await freePort()),
    DATABASE_URL: target.url,
    MATCHLOOP_BOOTSTRAP_ADMIN_KEY: adminKey,
    // One key drives the whole load; the per-key limit is for many callers sharing a server.
    MATCHLOOP_RATE_LIMIT: '1000000',
  });
  const outboxDirectory = await mkdtemp(join(tmpdir(), 'matchloop-soak-'));
  // Interrupted, the soak leaves no server running behind it.
  const interrupted = () => {
    server.abandon();
    process.exit(130);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const postgresUnavailable =
      options.postgresRestarts > 0 ? await unavailableCommand(options.postgresRestartCommand) : null;
    if (postgresUnavailable) console.error(`  PostgreSQL will not be restarted: ${postgresUnavailable}`);
    await server.start();

    const ledger = new Ledger();
    const countingFetch: typeof fetch = async (input, init) => {
      ledger.httpRequests += 1;
      try {
        const response = await fetch(input, init);
        if (response.status >= 400) ledger.count(ledger.httpFailures, statusKind(response.status));
        return response;
      } catch (error) {
        ledger.count(ledger.httpFailures, 'no answer');
        throw error;
      }
    };
    const connection = { url: server.url, apiKey: adminKey, fetch: countingFetch };
    const client = createMatchloopClient(connection);
    const outbox = await openMatchloopOutbox({
      ...connection,
      store: fileOutboxStore(join(outboxDirectory, 'outbox.jsonl')),
    });

    const durationMs = options.minutes * 60_000;
    console.error(
      `  ${options.rate} operations/s for ${options.minutes} min; the server is killed every ` +
        `${options.killEverySeconds} s` +
        (postgresUnavailable ? '' : `, PostgreSQL restarted ${options.postgresRestarts} times`),
    );
    const started = performance.now();
    const faults = injectFaults(options, durationMs, started, server, postgresUnavailable === null);
    await driveLoad(options.rate, durationMs, ledger, client, outbox);
    const faultLog = await faults;

    await server.start();
    const drainStarted = performance.now();
    const drained = await Promise.race([
      outbox.flush().then(() => true),
      sleep(DRAIN_TIMEOUT_MS).then(() => false),
    ]);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const undelivered = outbox.pending();
    const refused = outbox.rejected().length;
    await outbox.close();
    if (!drained)
      console.error(`  ${undelivered} events were still undelivered after ${DRAIN_TIMEOUT_MS} ms`);
    await server.stop();

    const stored = await readStored(target);
    return figures(options, ledger, stored, {
      serverKills: server.kills,
      serverCrashes: server.crashes,
      postgresRestarts: faultLog.postgresRestarts,
      elapsedSeconds: (performance.now() - started) / 1000,
      drainSeconds,
      undelivered,
      refused,
    });
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await server.stop();
    await rm(outboxDirectory, { recursive: true, force: true });
    await fresh?.drop();
  }
}

/** Kills the server on schedule, and restarts PostgreSQL between kills; resolves once all are done. */
async function injectFaults(
  options: SoakOptions,
  durationMs: number,
  started: number,
  server: SupervisedServer,
  restartPostgres: boolean,
): Promise<{ postgresRestarts: number }> {
  const killEveryMs = options.killEverySeconds * 1000;
  const killSlots = Math.floor((durationMs - 1) / killEveryMs);
  const faults: { atMs: number; kind: 'kill server' | 'restart PostgreSQL' }[] = Array.from(
    { length: killSlots },
    (_, slot) => ({ atMs: (slot + 1) * killEveryMs, kind: 'kill server' }),
  );
  if (restartPostgres) {
    // Half-way between two kills, spread over the run.
    const slots = new Set(
      Array.from({ length: options.postgresRestarts }, (_, index) =>
        Math.floor(((index + 1) * killSlots) / (options.postgresRestarts + 1)),
      ),
    );
    for (const slot of slots) faults.push({ atMs: (slot + 0.5) * killEveryMs, kind: 'restart PostgreSQL' });
  }
  faults.sort((a, b) => a.atMs - b.atMs);

  let postgresRestarts = 0;
  for (const fault of faults) {
    const waitMs = started + fault.atMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
    const at = `${Math.round((performance.now() - started) / 1000)} s`;
    const faultStarted = performance.now();
    try {
      if (fault.kind === 'kill server') {
        await server.kill(options.downSeconds * 1000);
        console.error(`  ${at}: killed the server; listening again after ${seconds(faultStarted)}`);
      } else {
        await runCommand(options.postgresRestartCommand);
        postgresRestarts += 1;
        console.error(`  ${at}: restarted PostgreSQL, in ${seconds(faultStarted)}`);
      }
    } catch (error) {
      // The load goes on; the figures show how many faults were injected.
      console.error(`  ${at}: could not ${fault.kind}: ${error instanceof Error ? error.message : error}`);
    }
  }
  return { postgresRestarts };
}

/** Starts `rate` operations a second for `durationMs`, then waits for the last ones to finish. */
async function driveLoad(
  rate: number,
  durationMs: number,
  ledger: Ledger,
  client: MatchloopClient,
  outbox: MatchloopOutbox,
): Promise<void> {
  const openSessions: OpenSession[] = [];
  const unchosenSessions: OpenSession[] = [];
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;

  /** What the mix asks for, or a new session while there is none to record events on. */
  const nextOperation = (): Operation => {
    const wanted = pickOperation();
    if (wanted === 'recordInteraction' && openSessions.length === 0) return 'startSession';
    if (wanted === 'recordChoice' && unchosenSessions.length === 0) return 'startSession';
    return wanted;
  };
  const perform = async (operation: Operation): Promise<void> => {
    const number = sequence++;
    if (operation === 'recordInteraction') {
      const session = pick(openSessions);
      const marker = `soak-interaction-${number}`;
      await outbox.recordInteraction({
        sessionId: session.sessionId,
        manufacturerId: pick(session.manufacturerIds),
        interactionType: pick(INTERACTION_TYPES),
        timeSpentSeconds: Math.round(Math.random() * 120),
        expandedSections: [marker],
      });
      ledger.acknowledgedInteractions.set(marker, Date.now());
    } else if (operation === 'recordChoice') {
      const [chosen] = unchosenSessions.splice(Math.floor(Math.random() * unchosenSessions.length), 1);
      if (!chosen) throw new Error('no session is waiting for its choice');
      await outbox.recordChoice({
        sessionId: chosen.sessionId,
        chosenManufacturerId: Math.random() < 0.15 ? null : pick(chosen.manufacturerIds),
        satisfaction: 1 + Math.floor(Math.random() * 5),
      });
      ledger.acknowledgedChoices.set(chosen.sessionId, Date.now());
    } else if (operation === 'weights') {
      await client.feedbackLearning.weights.query({ segment: pick(SEGMENTS) });
    } else {
      const customerId = `soak-customer-${number}`;
      const opened = await client.feedbackLearning.startSession.mutate({
        customerId,
        preferences: { budgetSensitivity: Math.random(), urgency: Math.random() },
        candidates: candidates(),
      });
      ledger.acknowledgedCustomers.add(customerId);
      const session = {
        sessionId: opened.sessionId,
        manufacturerIds: opened.recommendations.map(({ manufacturerId }) => manufacturerId),
      };
      openSessions.push(session);
      unchosenSessions.push(session);
    }
  };

  const started = performance.now();
  for (let launched = 0; performance.now() - started < durationMs; launched++) {
    const operation = nextOperation();
    const call = timed(operation, ledger, () => perform(operation));
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
    const nextAt = started + ((launched + 1) * 1000) / rate;
    await sleep(Math.max(0, nextAt - performance.now()));
  }
  await Promise.all(inFlight);
}

async function timed(operation: Operation, ledger: Ledger, call: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await call();
    ledger.latencies.get(operation)?.push(performance.now() - started);
  } catch (error) {
    ledger.count(ledger.failures, `${operation}: ${failureKind(error)}`);
  }
}

interface Stored {
  /** Customers (one session each), interaction markers and choices' sessions, each with how many copies. */
  readonly sessions: Map<string, number>;
  readonly interactions: Map<string, { copies: number; firstStoredAt: number }>;
  readonly choices: Map<string, { copies: number; firstStoredAt: number }>;
}

async function readStored(target: DatabaseTarget): Promise<Stored> {
  const database = await openDatabase(target);
  try {
    const sessions = await database.prisma.$queryRaw<{ key: string; copies: bigint }[]>`
      SELECT "customerId" AS key, count(*) AS copies FROM "MatchingFeedbackSession"
      WHERE "customerId" LIKE 'soak-customer-%' GROUP BY 1`;
    const interactions = await database.prisma.$queryRaw<{ key: string; copies: bigint; first: Date }[]>`
      SELECT "expandedSections"[1] AS key, count(*) AS copies, min("createdAt") AS first
      FROM "RecommendationInteraction" GROUP BY 1`;
    const choices = await database.prisma.$queryRaw<{ key: string; copies: bigint; first: Date }[]>`
      SELECT "sessionId"::text AS key, count(*) AS copies, min("createdAt") AS first
      FROM "CustomerChoice" GROUP BY 1`;
    const withTimes = (rows: typeof interactions) =>
      new Map(
        rows.map(({ key, copies, first }) => [
          key,
          { copies: Number(copies), firstStoredAt: first.getTime() },
        ]),
      );
    return {
      sessions: new Map(sessions.map(({ key, copies }) => [key, Number(copies)])),
      interactions: withTimes(interactions),
      choices: withTimes(choices),
    };
  } finally {
    await database.close();
  }
}

interface RunFacts {
  readonly serverKills: number;
  readonly serverCrashes: number;
  readonly postgresRestarts: number;
  readonly elapsedSeconds: number;
  readonly drainSeconds: number;
  readonly undelivered: number;
  readonly refused: number;
}

function figures(options: SoakOptions, ledger: Ledger, stored: Stored, facts: RunFacts): Figure[] {
  const acknowledged = [
    ...[...ledger.acknowledgedCustomers].map((key) => stored.sessions.get(key) ?? 0),
    ...[...ledger.acknowledgedInteractions.keys()].map((key) => stored.interactions.get(key)?.copies ?? 0),
    ...[...ledger.acknowledgedChoices.keys()].map((key) => stored.choices.get(key)?.copies ?? 0),
  ];
  const copies = [
    ...stored.sessions.values(),
    ...[...stored.interactions.values()].map(({ copies }) => copies),
    ...[...stored.choices.values()].map(({ copies }) => copies),
  ];
  // From the outbox's acknowledgement to the server's storing it: how long events waited out the faults.
  const deliveryLags = [
    ...[...ledger.acknowledgedInteractions].map(
      ([key, at]) => (stored.interactions.get(key)?.firstStoredAt ?? at) - at,
    ),
    ...[...ledger.acknowledgedChoices].map(
      ([key, at]) => (stored.choices.get(key)?.firstStoredAt ?? at) - at,
    ),
  ];
  const operations = [...ledger.latencies.values()].reduce((sum, latencies) => sum + latencies.length, 0);
  const failedCalls = [...ledger.failures.values()].reduce((sum, count) => sum + count, 0);
  for (const [kind, count] of ledger.failures) console.error(`  failed after retries: ${kind} × ${count}`);
  // NaN, not a failure, for what the run never got to measure: the figures say what it did measure.
  const rank = (values: readonly number[], percent: number) =>
    values.length > 0 ? nearestRank(values, percent) : Number.NaN;
  const latency = (operation: Operation, percent: number) =>
    rank(ledger.latencies.get(operation) ?? [], percent);
  const http = (kind: string) => ledger.httpFailures.get(kind) ?? 0;

  return [
    { name: 'soakMinutes', value: facts.elapsedSeconds / 60, unit: 'min' },
    {
      name: 'soakOperations',
      value: operations + failedCalls,
      unit: `operations (${options.rate}/s offered)`,
    },
    { name: 'soakCallsFailedAfterRetries', value: failedCalls, unit: 'calls' },
    { name: 'soakHttpRequests', value: ledger.httpRequests, unit: 'requests' },
    { name: 'soakHttpNoAnswer', value: http('no answer'), unit: 'requests' },
    { name: 'soakHttp5xx', value: http('5xx'), unit: 'requests' },
    { name: 'soakHttp429', value: http('429'), unit: 'requests' },
    { name: 'soakHttpOther4xx', value: http('other 4xx'), unit: 'requests' },
    { name: 'soakStartSessionP50Ms', value: latency('startSession', 50), unit: 'ms, retries included' },
    { name: 'soakStartSessionP99Ms', value: latency('startSession', 99), unit: 'ms, retries included' },
    { name: 'soakWeightsP50Ms', value: latency('weights', 50), unit: 'ms, retries included' },
    { name: 'soakWeightsP99Ms', value: latency('weights', 99), unit: 'ms, retries included' },
    {
      name: 'soakRecordInteractionP50Ms',
      value: latency('recordInteraction', 50),
      unit: 'ms, until durable',
    },
    {
      name: 'soakRecordInteractionP99Ms',
      value: latency('recordInteraction', 99),
      unit: 'ms, until durable',
    },
    { name: 'soakRecordChoiceP99Ms', value: latency('recordChoice', 99), unit: 'ms, until durable' },
    { name: 'soakDeliveryLagP50Ms', value: rank(deliveryLags, 50), unit: 'ms, recorded → stored' },
    { name: 'soakDeliveryLagP99Ms', value: rank(deliveryLags, 99), unit: 'ms, recorded → stored' },
    { name: 'soakDrainSeconds', value: facts.drainSeconds, unit: 's, backlog after the load' },
    { name: 'soakServerKills', value: facts.serverKills, unit: 'SIGKILL + restart' },
    { name: 'soakPostgresRestarts', value: facts.postgresRestarts, unit: 'restarts' },
    {
      name: 'soakServerCrashes',
      value: facts.serverCrashes,
      unit: 'exits not asked for',
      goal: { atMost: 0 },
    },
    { name: 'soakEventsAcknowledged', value: acknowledged.length, unit: 'sessions, interactions, choices' },
    {
      name: 'soakEventsLost',
      value: acknowledged.filter((count) => count === 0).length,
      unit: 'acknowledged, not stored',
      goal: { atMost: 0 },
    },
    {
      name: 'soakDuplicates',
      value: copies.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
      unit: 'extra copies stored',
      goal: { atMost: 0 },
    },
    { name: 'soakEventsRefused', value: facts.refused, unit: 'set aside by the outbox', goal: { atMost: 0 } },
    {
      name: 'soakEventsUndelivered',
      value: facts.undelivered,
      unit: 'left in the outbox',
      goal: { atMost: 0 },
    },
  ];
}

function pickOperation(): Operation {
  let draw = Math.random();
  for (const { operation, share } of MIX) {
    draw -= share;
    if (draw < 0) return operation;
  }
  return 'startSession';
}

function pick<Item>(items: readonly Item[]): Item {
  return items[Math.floor(Math.random() * items.length)] as Item;
}

function candidates(): Candidate[] {
  return Array.from({ length: MANUFACTURERS_PER_SESSION }, (_, index) => ({
    manufacturerId: `maker-${index}-${randomUUID().slice(0, 4)}`,
    factors: Object.fromEntries(FACTORS.map((factor) => [factor, Math.random()])) as Candidate['factors'],
  }));
}

function statusKind(status: number): string {
  if (status >= 500) return '5xx';
  if (status === 429) return '429';
  return 'other 4xx';
}

function failureKind(error: unknown): string {
  if (!(error instanceof MatchloopError)) return error instanceof Error ? error.message : String(error);
  const status = (error as MatchloopError<AppRouter>).data?.httpStatus;
  return status === undefined ? `no API answer (${error.message})` : `HTTP ${status}`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
