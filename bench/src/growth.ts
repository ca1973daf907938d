import { type DatabaseTarget, openDatabase, type Prisma } from '@matchloop/db';
import { DEFAULT_SEGMENT_WEIGHTS } from '@matchloop/learning';
import { COMPLEXITY_LEVELS, FACTORS, INTERACTION_TYPES, SEGMENTS } from '@matchloop/schemas';
import { createMatchloopClient } from '@matchloop/sdk';
import type { Benchmark, Figure } from './benchmark';
import { MarketplaceTraffic } from './http-traffic';
import { createWorkloads } from './http-workloads';
import {
  type ClosedLoopOptions,
  type Latencies,
  type LoadTarget,
  measureClosedLoop,
  percentile,
} from './load';
import { freshDatabase, type MatchloopUnderTest, startMatchloop } from './server-processes';

/**
 * How the cost of a request grows with the data stored (issue "Performance"): one database is filled in
 * steps to 10,000, 100,000 and 1,000,000 sessions, and after each step `matchloop serve` is started on it
 * and sent startSession and recordChoice requests one at a time, through the SDK. Every lookup a request
 * makes is by key or by customer, so its latency must stay flat as the tables grow.
 *
 * On PostgreSQL when MATCHLOOP_TEST_POSTGRES_URL names a server; on PGlite, which fills slowly, it stops at
 * 100,000 sessions. MATCHLOOP_BENCH_GROWTH_MAX_SESSIONS caps the largest step on either.
 *
 * Each request is measured three ways: startSession for a returning customer (one with choices logged,
 * which are read to place them by their behaviour), for a new customer, and recordChoice in a session just
 * opened. Returning customers have as much history as the marketplace gives them at that size: about one
 * choice at 10,000 sessions, seven at 1,000,000.
 *
 * Baseline, in the same rounds: a second database, filled once to the smallest step, with a server of its
 * own. Past the smallest step both servers are sent the same requests, taking turns round by round, so that
 * load from elsewhere on a shared machine falls on both alike; each `…Growth…` figure is the ratio of their
 * medians.
 */

const STEPS = [10_000, 100_000, 1_000_000] as const;
const BASELINE_SESSIONS = STEPS[0];
const PGLITE_LARGEST_STEP = 100_000;
/** One request at a time: what a single request costs, not how requests queue behind one another. */
const ONE_IN_FLIGHT = 1;
const SEQUENTIAL: ClosedLoopOptions = {
  concurrencies: [ONE_IN_FLIGHT],
  warmUpRequests: 1_000,
  roundMs: 600,
  rounds: 8,
};
/** The product's goal: the median request at any step at most this many times slower than at the baseline's. */
const GROWTH_GOAL = 1.5;
/** Returning customers drawn for startSession: more than a step sends requests, so few repeat. */
const RETURNING_CUSTOMERS_SAMPLED = 2_000;
const TRAFFIC_SEED = 7;
/** A step's fill is one transaction, of minutes at the largest steps on a slow machine. */
const FILL_TIMEOUT_MS = 30 * 60_000;

/** The marketplace the fill writes: who, when, and what was shown, chosen and looked at. */
const CUSTOMERS = 100_000;
const DAYS = 180;
const CANDIDATES_PER_SESSION = 10;
const MANUFACTURERS = 300;
/** Coprime with MANUFACTURERS, so a session's ten candidates, this many apart, are ten different ones. */
const MANUFACTURER_STRIDE = 29;
/** The share of sessions whose customer has decided, and of those the share that chose none. */
const DECIDED_RATE = 2 / 3;
const WALK_AWAY_RATE = 1 / 7;
const INTERACTIONS_PER_SESSION = 2;

const SEQUENTIAL_TARGETS = [
  'startSessionReturningCustomer',
  'startSessionNewCustomer',
  'recordChoice',
] as const;
type SequentialTarget = (typeof SEQUENTIAL_TARGETS)[number];

export const growthBenchmark: Benchmark = {
  name: 'growth',
  async run(): Promise<Figure[]> {
    const kind = process.env.MATCHLOOP_TEST_POSTGRES_URL ? 'postgres' : 'pglite';
    const where = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const largest = largestStep(kind);
    const steps = STEPS.filter((sessions) => sessions <= largest);
    if (steps.length === 0) {
      throw new Error(`MATCHLOOP_BENCH_GROWTH_MAX_SESSIONS must be at least ${formatCount(STEPS[0])}`);
    }
    const newCustomers = customersBeyondThePool();
    const growing = await freshDatabase(kind);
    try {
      const baseline = steps.length > 1 ? await freshDatabase(kind) : undefined;
      try {
        const storedBaseline = baseline && {
          target: baseline.target,
          history: await fillTo(baseline.target, BASELINE_SESSIONS, 'the baseline'),
        };
        const measured: StepMeasurement[] = [];
        for (const sessions of steps) {
          const step = {
            target: growing.target,
            history: await fillTo(growing.target, sessions, 'the database'),
          };
          const sideBySide = sessions > BASELINE_SESSIONS ? storedBaseline : undefined;
          measured.push(await measureStep(step, sideBySide, newCustomers));
        }
        return figures(measured, where);
      } finally {
        await baseline?.drop();
      }
    } finally {
      await growing.drop();
    }
  },
};

function largestStep(kind: 'postgres' | 'pglite'): number {
  const cap = process.env.MATCHLOOP_BENCH_GROWTH_MAX_SESSIONS;
  if (cap) return Number(cap);
  if (kind === 'postgres') return Math.max(...STEPS);
  console.error(
    `  PGlite fills slowly: stopping at ${formatCount(PGLITE_LARGEST_STEP)} sessions ` +
      '(with MATCHLOOP_TEST_POSTGRES_URL, every step runs on PostgreSQL)',
  );
  return PGLITE_LARGEST_STEP;
}

/** Customers the fill never writes, so each is new to the marketplace the first time it is sent. */
function* customersBeyondThePool(): Iterator<string, never> {
  for (let customer = CUSTOMERS; ; customer++) yield `customer-${customer}`;
}

interface StoredHistory {
  readonly sessions: number;
  /** Choices logged after the newest learner checkpoint: what a server folds in before it listens. */
  readonly choicesToFold: number;
  /** Customers with choices logged, in random order. */
  readonly returningCustomers: readonly string[];
}

interface StoredDatabase {
  readonly target: DatabaseTarget;
  readonly history: StoredHistory;
}

type LatenciesByTarget = Readonly<Record<SequentialTarget, Latencies>>;

interface StepMeasurement extends StoredHistory {
  /** From starting `matchloop serve` until it accepted connections. */
  readonly startSeconds: number;
  readonly latencies: LatenciesByTarget;
  /** The baseline's, measured in the same rounds; none at the baseline's own size. */
  readonly baselineLatencies?: LatenciesByTarget;
}

/** A server started on a stored database, and the requests to send it. */
interface ServedDatabase {
  readonly server: MatchloopUnderTest;
  /** From starting the server until it accepted connections. */
  readonly startSeconds: number;
  readonly targets: Readonly<Record<SequentialTarget, LoadTarget>>;
}

/**
 * Starts `matchloop serve` on the step's database as it stands, and on the baseline's if given, then sends
 * them the same kinds of request one at a time, each kind to each server in turn, round by round.
 */
async function measureStep(
  step: StoredDatabase,
  baseline: StoredDatabase | undefined,
  newCustomers: Iterator<string, never>,
): Promise<StepMeasurement> {
  console.error(
    `  starting matchloop serve on ${formatCount(step.history.sessions)} sessions, ` +
      `${formatCount(step.history.choicesToFold)} choices to fold…`,
  );
  const served: ServedDatabase[] = [];
  try {
    const stepServer = await serve(step, 'the step', newCustomers);
    served.push(stepServer);
    const baselineServer = baseline && (await serve(baseline, 'the baseline', newCustomers));
    if (baselineServer) served.push(baselineServer);
    const latencies = await measureClosedLoop(
      SEQUENTIAL_TARGETS.flatMap((target) => served.map(({ targets }) => targets[target])),
      SEQUENTIAL,
    );
    const latenciesOf = ({ targets }: ServedDatabase) =>
      Object.fromEntries(
        SEQUENTIAL_TARGETS.map((target) => [
          target,
          latencies.get(targets[target].name)?.get(ONE_IN_FLIGHT) as Latencies,
        ]),
      ) as LatenciesByTarget;
    const stepLatencies = latenciesOf(stepServer);
    const baselineLatencies = baselineServer && latenciesOf(baselineServer);
    console.error(
      `  started in ${stepServer.startSeconds.toFixed(1)} s; p50 ` +
        SEQUENTIAL_TARGETS.map(
          (target) =>
            `${target} ${percentile(stepLatencies[target], 50).toFixed(1)} ms` +
            (baselineLatencies ? ` (baseline ${percentile(baselineLatencies[target], 50).toFixed(1)})` : ''),
        ).join(', '),
    );
    return {
      ...step.history,
      startSeconds: stepServer.startSeconds,
      latencies: stepLatencies,
      ...(baselineLatencies && { baselineLatencies }),
    };
  } finally {
    await Promise.all(served.map(({ server }) => server.stop()));
  }
}

/** Starts `matchloop serve` on the database; `name` tells its requests apart from another server's. */
async function serve(
  database: StoredDatabase,
  name: string,
  newCustomers: Iterator<string, never>,
): Promise<ServedDatabase> {
  const starting = performance.now();
  const server = await startMatchloop(database.target);
  const startSeconds = (performance.now() - starting) / 1000;
  const targets = sequentialTargets(server, name, database.history.returningCustomers, newCustomers);
  return { server, startSeconds, targets };
}

/**
 * startSession for returning and for new customers, each with ten candidates, and recordChoice in sessions
 * opened for it beforehand, unmeasured. The traffic's generator supplies candidates and choices.
 */
function sequentialTargets(
  server: MatchloopUnderTest,
  name: string,
  returningCustomers: readonly string[],
  newCustomers: Iterator<string, never>,
): Readonly<Record<SequentialTarget, LoadTarget>> {
  const newClient = () => createMatchloopClient({ url: server.url, apiKey: server.apiKey });
  const traffic = new MarketplaceTraffic(TRAFFIC_SEED);
  const startSessionFor = (target: SequentialTarget, nextCustomer: () => string): LoadTarget => ({
    name: `${target} on ${name}`,
    connect: () => {
      const client = newClient();
      return () =>
        client.feedbackLearning.startSession.mutate({
          ...traffic.sessionRequest(),
          customerId: nextCustomer(),
        });
    },
  });
  let returned = 0;
  const { recordChoice } = createWorkloads(newClient);
  return {
    startSessionReturningCustomer: startSessionFor(
      'startSessionReturningCustomer',
      () => returningCustomers[returned++ % returningCustomers.length] as string,
    ),
    startSessionNewCustomer: startSessionFor('startSessionNewCustomer', () => newCustomers.next().value),
    recordChoice: {
      name: `recordChoice on ${name}`,
      connect: () => {
        const client = newClient();
        return () => recordChoice.matchloop(client);
      },
      ...(recordChoice.prepare && { prepare: recordChoice.prepare }),
    },
  };
}

/**
 * Each step's start-up time and latencies, then, past the baseline's size, how much slower the median
 * request is than on the baseline in the same rounds: the figures the goal judges.
 */
function figures(measured: readonly StepMeasurement[], where: string): Figure[] {
  const at = ({ sessions }: StepMeasurement) => `At${stepName(sessions)}Sessions`;
  const startUp = measured.map(
    (step): Figure => ({
      name: `serverStartSeconds${at(step)}`,
      value: step.startSeconds,
      unit: `s, folding ${formatCount(step.choicesToFold)} choices (${where})`,
    }),
  );
  const latencies = SEQUENTIAL_TARGETS.flatMap((target) =>
    [50, 99].flatMap((percent) =>
      measured.map(
        (step): Figure => ({
          name: `${target}P${percent}Ms${at(step)}`,
          value: percentile(step.latencies[target], percent),
          unit: `ms, one at a time (${where})`,
        }),
      ),
    ),
  );
  const growth = SEQUENTIAL_TARGETS.flatMap((target) =>
    measured.flatMap(({ sessions, latencies, baselineLatencies }): Figure[] =>
      baselineLatencies === undefined
        ? []
        : [
            {
              name: `${target}P50GrowthAt${stepName(sessions)}Vs${stepName(BASELINE_SESSIONS)}`,
              value: percentile(latencies[target], 50) / percentile(baselineLatencies[target], 50),
              unit: `× ${formatCount(BASELINE_SESSIONS)} sessions, same rounds`,
              goal: { atMost: GROWTH_GOAL },
            },
          ],
    ),
  );
  return [...startUp, ...latencies, ...growth];
}

/** As figure names give a step's size: 10k, 100k, 1M. */
function stepName(sessions: number): string {
  return sessions >= 1_000_000 ? `${sessions / 1_000_000}M` : `${sessions / 1_000}k`;
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/**
 * Adds sessions until the database holds `sessions`, then tells what the next start will fold and which
 * customers come back. The database is open only meanwhile: PGlite can be open in one process at a time.
 */
async function fillTo(target: DatabaseTarget, sessions: number, name: string): Promise<StoredHistory> {
  console.error(`  filling ${name} to ${formatCount(sessions)} sessions…`);
  const database = await openDatabase(target);
  try {
    await database.migrate();
    const { prisma } = database;
    const [stored] = await prisma.$queryRaw<{ sessions: number }[]>`
      SELECT COUNT(*)::int AS sessions FROM "MatchingFeedbackSession"`;
    await prisma.$transaction((tx) => appendSessions(tx, sessions - (stored?.sessions ?? 0)), {
      timeout: FILL_TIMEOUT_MS,
    });
    // Vacuumed, as autovacuum would leave tables between bursts of writes, so that it does not start during
    // the measurement; analyzed, so that the planner knows the tables' new sizes.
    await prisma.$executeRawUnsafe('VACUUM ANALYZE');
    await writeBackNow(prisma);
    const [folded] = await prisma.$queryRaw<{ choices: number }[]>`
      SELECT COUNT(*)::int AS choices FROM "CustomerChoice"
      WHERE sequence > (SELECT COALESCE(MAX("choiceSequence"), 0) FROM "LearningWeights")`;
    const returning = await prisma.$queryRaw<{ customerId: string }[]>`
      SELECT "customerId" FROM "CustomerChoice" GROUP BY "customerId"
      ORDER BY random() LIMIT ${RETURNING_CUSTOMERS_SAMPLED}`;
    return {
      sessions,
      choicesToFold: folded?.choices ?? 0,
      returningCustomers: returning.map(({ customerId }) => customerId),
    };
  } finally {
    await database.close();
  }
}

/**
 * Has the database write what the fill left in memory to disk now, rather than while the step is measured:
 * a server in service writes a little with every request, not gigabytes at once. CHECKPOINT needs a
 * superuser or the pg_checkpoint role; without either, the step is measured as the write-back goes on.
 */
async function writeBackNow(prisma: Prisma.TransactionClient): Promise<void> {
  try {
    await prisma.$executeRawUnsafe('CHECKPOINT');
  } catch (error) {
    console.error(
      `  no CHECKPOINT (${(error as Error).message.trim()}): measuring as the fill is written back`,
    );
  }
}

/**
 * Writes `count` sessions in a few set-based statements, as the product writes them: spread over the last
 * DAYS days among CUSTOMERS customers, every segment, complexity (one in five sent without) and weights
 * source, each with its ten recommendations and INTERACTIONS_PER_SESSION interactions. Two in three have a
 * choice logged, in the order the sessions were opened, each carrying its choice set as the product logs
 * it and its customer's running choice count, so the server folds and reads them as its own.
 */
async function appendSessions(tx: Prisma.TransactionClient, count: number): Promise<void> {
  const array = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;
  // A session's candidates, by position: the same manufacturer wherever the session names its nth.
  const manufacturer = (session: string, position: string) =>
    `'manufacturer-' || (${session}."firstManufacturer" + ${MANUFACTURER_STRIDE} * ${position}) % ${MANUFACTURERS}`;
  const factorColumns = (alias: string) => FACTORS.map((factor) => `${alias}"${factor}"`).join(', ');
  // Drawn once, so that a session's recommendations, choice and interactions agree with it.
  await tx.$executeRawUnsafe(`
    CREATE TEMPORARY TABLE drawn ON COMMIT DROP AS
    SELECT gen_random_uuid() AS id, 'customer-' || floor(random() * ${CUSTOMERS})::int AS "customerId",
           (${array(SEGMENTS)})[1 + floor(random() * ${SEGMENTS.length})::int]::"Segment" AS segment,
           -- One past the last level is NULL: a session sent without a complexity.
           (${array(COMPLEXITY_LEVELS)})[1 + floor(random() * ${COMPLEXITY_LEVELS.length + 1})::int]::"Complexity"
             AS complexity,
           (ARRAY['default','blended','learned'])[1 + floor(random() * 3)::int]::"WeightsSource" AS "weightsSource",
           now() - random() * interval '${DAYS} days' AS "createdAt",
           floor(random() * ${MANUFACTURERS})::int AS "firstManufacturer",
           random() < ${DECIDED_RATE} AS decided,
           -- Top ranks chosen most, as in a real log: rank 1 + ⌊10·u²⌋ for u uniform in [0, 1).
           CASE WHEN random() >= ${WALK_AWAY_RATE}
                THEN 1 + floor(power(random(), 2) * ${CANDIDATES_PER_SESSION})::int END AS "chosenRank",
           30 + floor(random() * 600) AS "decisionSeconds"
    FROM generate_series(1, ${count})`);
  await withIndexesRebuilt(
    tx,
    'MatchingFeedbackSession',
    `
    INSERT INTO "MatchingFeedbackSession"
      (id, "customerId", segment, "segmentSource", complexity, preferences, "weightsVersion", "weightsSource",
       "weightsConfidence", weights, "order", status, "requestHash", "createdAt")
    SELECT d.id, d."customerId", d.segment, 'rules', d.complexity,
           jsonb_build_object('budgetSensitivity', random(), 'urgency', random(),
                              'qualityRequirement', random(), 'localPreference', random()),
           0, d."weightsSource", 0, ${jsonLiteral(DEFAULT_SEGMENT_WEIGHTS)} -> d.segment::text, 'ranked',
           (CASE WHEN NOT d.decided THEN 'open' WHEN d."chosenRank" IS NULL THEN 'none_chosen' ELSE 'chosen' END)
             ::"SessionStatus",
           encode(sha256(d.id::text::bytea), 'hex'), d."createdAt"
    FROM drawn d`,
  );
  await withIndexesRebuilt(
    tx,
    'MatchingRecommendation',
    `
    INSERT INTO "MatchingRecommendation"
      ("sessionId", "manufacturerId", rank, score, "predictedChoiceProbability", ${factorColumns('')})
    SELECT o.id, ${manufacturer('o', 'o.rank')}, o.rank,
           (${FACTORS.map((factor) => `o."${factor}"`).join(' + ')}) / ${FACTORS.length},
           random() / ${CANDIDATES_PER_SESSION}, ${factorColumns('o.')}
    FROM (
      SELECT d.id, d."firstManufacturer", rank, ${FACTORS.map((factor) => `random() AS "${factor}"`).join(', ')}
      FROM drawn d, generate_series(1, ${CANDIDATES_PER_SESSION}) AS rank
    ) AS o`,
  );
  await withIndexesRebuilt(
    tx,
    'CustomerChoice',
    `
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenManufacturerId", "chosenRank", "importantFactors",
       satisfaction, "decisionTimeSeconds", "customerChoiceNumber", "shownFactors", "learnedWeightsVersion",
       "learnedSampleSize", "learnedConfidence", "requestHash", "createdAt")
    SELECT d.id, d."customerId", d.segment, ${manufacturer('d', 'd."chosenRank"')}, d."chosenRank",
           CASE WHEN random() < 0.3 THEN ARRAY[(${array(FACTORS)})[1 + floor(random() * ${FACTORS.length})::int]]
                ELSE '{}' END,
           1 + floor(random() * 5)::int, d."decisionSeconds",
           COALESCE(earlier.choices, 0) + row_number() OVER (PARTITION BY d."customerId" ORDER BY d."createdAt"),
           shown.factors, 0, 0, 0, encode(sha256(d.id::text::bytea), 'hex'),
           d."createdAt" + d."decisionSeconds" * interval '1 second'
    FROM drawn d
    LEFT JOIN (SELECT "customerId", COUNT(*) AS choices FROM "CustomerChoice" GROUP BY "customerId") AS earlier
      ON earlier."customerId" = d."customerId"
    -- Six big-endian doubles per option, in presented order: the bytes the product logs (see choice-log.ts).
    CROSS JOIN LATERAL (
      SELECT string_agg(${FACTORS.map((factor) => `float8send(r."${factor}")`).join(' || ')}, ''::bytea
                        ORDER BY r.rank) AS factors
      FROM "MatchingRecommendation" r WHERE r."sessionId" = d.id
    ) AS shown
    WHERE d.decided
    ORDER BY d."createdAt"`,
  );
  await withIndexesRebuilt(
    tx,
    'RecommendationInteraction',
    `
    INSERT INTO "RecommendationInteraction"
      (id, "sessionId", "manufacturerId", "interactionType", "timeSpentSeconds", "expandedSections",
       "helpfulRating", "requestHash", "createdAt")
    SELECT gen_random_uuid(), d.id, ${manufacturer('d', 'k')},
           (${array(INTERACTION_TYPES)})[1 + floor(random() * ${INTERACTION_TYPES.length})::int]::"InteractionType",
           floor(random() * 300), '{}', CASE WHEN random() < 1.0 / 3 THEN 1 + floor(random() * 5)::int END,
           encode(sha256((d.id::text || k)::bytea), 'hex'), d."createdAt" + k * interval '20 seconds'
    FROM drawn d, generate_series(1, ${INTERACTIONS_PER_SESSION}) AS k`,
  );
}

/**
 * Runs `insert` into `table` with its indexes and foreign keys set aside, then rebuilds them from their own
 * definitions: an index built once over every row takes a fraction of the time of one grown row by row, in
 * random key order, past the size of the database's cache, and a foreign key is checked in one join rather
 * than one lookup per row. Keys another table's foreign keys point at stay. In the caller's transaction, so
 * no one ever sees the table without them.
 */
async function withIndexesRebuilt(
  tx: Prisma.TransactionClient,
  table: string,
  insert: string,
): Promise<void> {
  // Foreign keys last: the keys they point at, on this table too, must be back first.
  const constraints = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    WHERE c.conrelid = quote_ident(${table})::regclass
      AND (c.contype = 'f' OR c.contype IN ('p', 'u') AND NOT EXISTS (
        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid AND f.conindid = c.conindid))
    ORDER BY c.contype = 'f'`;
  const indexes = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid = quote_ident(${table})::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`;
  for (const { name } of [...constraints].reverse()) {
    await tx.$executeRawUnsafe(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
  }
  for (const { name } of indexes) await tx.$executeRawUnsafe(`DROP INDEX ${name}`);
  await tx.$executeRawUnsafe(insert);
  for (const { definition } of indexes) await tx.$executeRawUnsafe(definition);
  for (const { name, definition } of constraints) {
    await tx.$executeRawUnsafe(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" ${definition}`);
  }
}

function jsonLiteral(value: unknown): string {
  return `'${JSON.stringify(value).replaceAll("'", "''")}'::jsonb`;
}
