import { FACTORS, type FactorScores, type Segment } from '@matchloop/schemas';
import { Prisma } from '../generated/prisma/client';

/** A recorded choice as the learner folds it: who chose, in which segment, among which shown options. */
export interface LoggedChoice {
  readonly sequence: bigint;
  readonly segment: Segment;
  readonly customerChoiceNumber: number;
  /** Presented rank of the chosen option; null when the customer chose none. */
  readonly chosenRank: number | null;
  readonly importantFactors: string[];
  /** The shown options' factor scores, option after option in presented order, factors in `FACTORS` order. */
  readonly shownFactors: Float64Array;
}

/**
 * The choice log after a given sequence number, in the order the learner folds it. Pages are read ahead
 * while the caller works through the current one, and a long log is never held in memory at once.
 */
export async function* readChoiceLog(
  prisma: Prisma.TransactionClient,
  afterSequence: bigint,
  pageSize = 5000,
): AsyncGenerator<LoggedChoice> {
  const readPage = (after: bigint) =>
    selectLoggedChoices(prisma, Prisma.sql`c.sequence > ${after}`, Prisma.sql`c.sequence`, pageSize);
  let nextPage = readPage(afterSequence);
  for (;;) {
    const page = await nextPage;
    const last = page.at(-1);
    const more = last !== undefined && page.length === pageSize;
    if (more) nextPage = readPage(last.sequence);
    yield* page;
    if (!more) return;
  }
}

/**
 * Each customer's most recent choices, newest first, for any number of customers in one query: the evidence
 * for placing them by behaviour. A customer with none is absent from the map.
 */
export async function recentChoicesOfCustomers(
  prisma: Prisma.TransactionClient,
  customerIds: readonly string[],
  limit: number,
): Promise<Map<string, LoggedChoice[]>> {
  const rows = await prisma.$queryRaw<(LoggedChoiceRow & { customerId: string })[]>`
    SELECT customer.id AS "customerId", c.*
    FROM unnest(${[...customerIds]}::text[]) AS customer(id)
    CROSS JOIN LATERAL (
      SELECT ${LOGGED_CHOICE_COLUMNS}
      FROM "CustomerChoice" c
      WHERE c."customerId" = customer.id
      ORDER BY c.sequence DESC
      LIMIT ${limit}
    ) c`;
  const byCustomer = new Map<string, LoggedChoice[]>();
  for (const { customerId, ...row } of rows) {
    const choices = byCustomer.get(customerId) ?? [];
    choices.push(toLoggedChoice(row));
    byCustomer.set(customerId, choices);
  }
  for (const choices of byCustomer.values()) choices.sort((a, b) => (a.sequence > b.sequence ? -1 : 1));
  return byCustomer;
}

type LoggedChoiceRow = Omit<LoggedChoice, 'shownFactors'> & { shownFactors: Uint8Array };

const LOGGED_CHOICE_COLUMNS = Prisma.sql`c.sequence, c.segment::text AS segment, c."customerChoiceNumber",
  c."chosenRank", c."importantFactors", c."shownFactors"`;

function toLoggedChoice(row: LoggedChoiceRow): LoggedChoice {
  return { ...row, shownFactors: decodeShownFactors(row.shownFactors) };
}

/** One query for a page of choices: each row carries its segment and choice set, so it reads one table. */
async function selectLoggedChoices(
  prisma: Prisma.TransactionClient,
  where: Prisma.Sql,
  orderBy: Prisma.Sql,
  limit: number,
): Promise<LoggedChoice[]> {
  const rows = await prisma.$queryRaw<LoggedChoiceRow[]>`
    SELECT ${LOGGED_CHOICE_COLUMNS}
    FROM "CustomerChoice" c
    WHERE ${where}
    ORDER BY ${orderBy}
    LIMIT ${limit}`;
  return rows.map(toLoggedChoice);
}

/**
 * Big-endian doubles, as PostgreSQL's own float8send writes them, so SQL can produce and inspect the
 * same bytes and they mean the same on any machine.
 */
export function encodeShownFactors(values: Float64Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i] as number, false);
  return bytes;
}

function decodeShownFactors(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, false);
  return values;
}

/** The newest choice's sequence number, 0 for an empty log: tells whether another server has recorded more. */
export async function latestChoiceSequence(prisma: Prisma.TransactionClient): Promise<bigint> {
  const latest = await prisma.customerChoice.findFirst({
    orderBy: { sequence: 'desc' },
    select: { sequence: true },
  });
  return latest?.sequence ?? 0n;
}

/**
 * Serialises everything that appends to the choice log, across every server sharing the database, until
 * the transaction ends: the learner folds choices in log order, so only one writer at a time may add to
 * the log, and it must have caught up with it first.
 */
export async function lockChoiceLog(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHOICE_LOG_LOCK})`;
}

/** An arbitrary constant naming the choice log's advisory lock. */
const CHOICE_LOG_LOCK = 7_201_415;

/** Long enough for a round of choices to wait its turn behind other servers' (the log lock serialises them). */
export const CHOICE_TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

export function countLoggedChoices(prisma: Prisma.TransactionClient): Promise<number> {
  return prisma.customerChoice.count();
}

/** The shown options' factor scores as the choice log holds them: option after option, `FACTORS` order. */
export function toShownFactors(shown: readonly FactorScores[]): Float64Array {
  const values = new Float64Array(shown.length * FACTORS.length);
  shown.forEach((option, index) => {
    FACTORS.forEach((factor, k) => {
      values[index * FACTORS.length + k] = option[factor];
    });
  });
  return values;
}
