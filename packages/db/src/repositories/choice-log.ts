import { FACTORS, type FactorScores, SEGMENTS, type Segment } from '@matchloop/schemas';
import { Prisma } from '../generated/prisma/client';
import { type PreparedStatements, preparedStatement } from '../prepared-statements';

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
 * A page of the log travels as a few base64 texts of this many records each. Prisma hands the caller a bytea
 * only after turning PostgreSQL's hex into bytes, the bytes into base64 and back again, and PostgreSQL builds
 * and sends a value of megabytes more slowly than many of tens of kilobytes: reading 1,000,000 choices took
 * 18.3–18.9 s as one bytea a page and 7.2–8.0 s this way.
 */
const RECORDS_PER_CHUNK = 100;

/**
 * The choice log after a given sequence number, in the order the learner folds it. Pages are read ahead
 * while the caller works through the current one, and a long log is never held in memory at once.
 */
export async function* readChoiceLog(
  prisma: Prisma.TransactionClient,
  afterSequence: bigint,
  pageSize = 5000,
): AsyncGenerator<LoggedChoice> {
  const readPage = async (after: bigint) => {
    const chunks = await prisma.$queryRaw<{ records: string }[]>`
      SELECT encode(string_agg(c.record, ''::bytea ORDER BY c.sequence), 'base64') AS records
      FROM (
        SELECT c.sequence, ${Prisma.raw(LOGGED_CHOICE_RECORD)} AS record,
               (row_number() OVER (ORDER BY c.sequence) - 1) / ${Prisma.raw(String(RECORDS_PER_CHUNK))} AS chunk
        FROM "CustomerChoice" c
        WHERE c.sequence > ${after}
        ORDER BY c.sequence
        LIMIT ${pageSize}
      ) c
      GROUP BY c.chunk
      ORDER BY c.chunk`;
    return chunks.flatMap(({ records }) => decodeLoggedChoices(Buffer.from(records, 'base64')));
  };
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
  statements: PreparedStatements,
  customerIds: readonly string[],
  limit: number,
): Promise<Map<string, LoggedChoice[]>> {
  const rows = await statements.run(RECENT_CHOICES_OF_CUSTOMERS, [[...customerIds], limit]);
  return new Map(rows.map(({ customerId, choices }) => [customerId, decodeLoggedChoices(choices)]));
}

/**
 * A logged choice as one binary record, so that a page of the log travels as one value: converting a
 * million rows of six columns each cost reading the log more than the database's work did. Big-endian:
 * sequence (int8), segment (int2, its index in SEGMENTS), customerChoiceNumber (int4), chosenRank (int2, 0
 * for none), importantFactors (int2 byte length, then the names joined by commas), shownFactors (int4 byte
 * length, then the doubles as stored).
 */
const LOGGED_CHOICE_RECORD = `(
  int8send(c.sequence)
  || int2send((array_position(ARRAY[${SEGMENTS.map((segment) => `'${segment}'`).join(', ')}]::text[],
                              c.segment::text) - 1)::int2)
  || int4send(c."customerChoiceNumber")
  || int2send(coalesce(c."chosenRank", 0)::int2)
  || int2send(octet_length(array_to_string(c."importantFactors", ','))::int2)
  || convert_to(array_to_string(c."importantFactors", ','), 'UTF8')
  || int4send(octet_length(c."shownFactors"))
  || c."shownFactors")`;

const RECENT_CHOICES_OF_CUSTOMERS = preparedStatement<
  [customerIds: string[], limit: number],
  { customerId: string; choices: Uint8Array }
>(
  'recent-choices-of-customers',
  `SELECT customer.id AS "customerId", recent.choices
   FROM unnest($1::text[]) AS customer(id)
   CROSS JOIN LATERAL (
     SELECT string_agg(c.record, ''::bytea ORDER BY c.sequence DESC) AS choices
     FROM (
       SELECT c.sequence, ${LOGGED_CHOICE_RECORD} AS record
       FROM "CustomerChoice" c
       WHERE c."customerId" = customer.id
       ORDER BY c.sequence DESC
       LIMIT $2
     ) c
   ) recent
   WHERE recent.choices IS NOT NULL`,
);

/**
 * SQL for the choices logged after the sequence that `after` (an SQL expression) gives, `limit` at most, as
 * one bytea of records in log order (see `decodeLoggedChoices`); null when there are none.
 */
export function loggedChoicesAfter(after: string, limit: number): string {
  return `(SELECT string_agg(c.record, ''::bytea ORDER BY c.sequence)
           FROM (SELECT c.sequence, ${LOGGED_CHOICE_RECORD} AS record
                 FROM "CustomerChoice" c
                 WHERE c.sequence > ${after}
                 ORDER BY c.sequence
                 LIMIT ${limit}) c)`;
}

const UTF8 = new TextDecoder();

export function decodeLoggedChoices(bytes: Uint8Array): LoggedChoice[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const choices: LoggedChoice[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const sequence = view.getBigInt64(at);
    const segment = SEGMENTS[view.getInt16(at + 8)] as Segment;
    const customerChoiceNumber = view.getInt32(at + 10);
    const chosenRank = view.getInt16(at + 14) || null;
    const factorsLength = view.getInt16(at + 16);
    at += 18;
    const factors = UTF8.decode(bytes.subarray(at, at + factorsLength));
    at += factorsLength;
    const shownLength = view.getInt32(at);
    at += 4;
    choices.push({
      sequence,
      segment,
      customerChoiceNumber,
      chosenRank,
      importantFactors: factors === '' ? [] : factors.split(','),
      shownFactors: decodeShownFactors(bytes.subarray(at, at + shownLength)),
    });
    at += shownLength;
  }
  return choices;
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
export const CHOICE_LOG_LOCK = 7_201_415;

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
