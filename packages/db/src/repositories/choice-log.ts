import type { FactorScores, Segment } from '@matchloop/schemas';
import { Prisma } from '../generated/prisma/client';

/** A recorded choice as the learner folds it: who chose, in which segment, among which shown options. */
export interface LoggedChoice {
  readonly sequence: bigint;
  readonly segment: Segment;
  readonly customerChoiceNumber: number;
  /** Presented rank of the chosen option; null when the customer chose none. */
  readonly chosenRank: number | null;
  readonly importantFactors: string[];
  /** Factor scores of the shown options in presented order, one array per factor. */
  readonly options: ShownFactorColumns;
}

export interface ShownFactorColumns {
  readonly cost: number[];
  readonly quality: number[];
  readonly speed: number[];
  readonly proximity: number[];
  readonly capability: number[];
  readonly reliability: number[];
}

/**
 * The choice log after a given sequence number, in the order the learner folds it, read in pages so a
 * long log is never held in memory at once.
 */
export async function* readChoiceLog(
  prisma: Prisma.TransactionClient,
  afterSequence: bigint,
  pageSize = 5000,
): AsyncGenerator<LoggedChoice> {
  let after = afterSequence;
  for (;;) {
    const page = await selectLoggedChoices(
      prisma,
      Prisma.sql`c.sequence > ${after}`,
      Prisma.sql`c.sequence`,
      pageSize,
    );
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = last.sequence;
  }
}

/** A customer's most recent choices, newest first: the evidence for placing them by behaviour. */
export function recentCustomerChoices(
  prisma: Prisma.TransactionClient,
  customerId: string,
  limit: number,
): Promise<LoggedChoice[]> {
  return selectLoggedChoices(
    prisma,
    Prisma.sql`s."customerId" = ${customerId}`,
    Prisma.sql`c.sequence DESC`,
    limit,
  );
}

/** One query for a page of choices: the shown options travel as one array per factor, in presented order. */
async function selectLoggedChoices(
  prisma: Prisma.TransactionClient,
  where: Prisma.Sql,
  orderBy: Prisma.Sql,
  limit: number,
): Promise<LoggedChoice[]> {
  const rows = await prisma.$queryRaw<(Omit<LoggedChoice, 'options'> & ShownFactorColumns)[]>`
    SELECT c.sequence, s.segment::text AS segment, c."customerChoiceNumber", c."chosenRank", c."importantFactors",
           o.cost, o.quality, o.speed, o.proximity, o.capability, o.reliability
    FROM "CustomerChoice" c
    JOIN "MatchingFeedbackSession" s ON s.id = c."sessionId"
    CROSS JOIN LATERAL (
      SELECT array_agg(r.cost ORDER BY r.rank) AS cost, array_agg(r.quality ORDER BY r.rank) AS quality,
             array_agg(r.speed ORDER BY r.rank) AS speed, array_agg(r.proximity ORDER BY r.rank) AS proximity,
             array_agg(r.capability ORDER BY r.rank) AS capability,
             array_agg(r.reliability ORDER BY r.rank) AS reliability
      FROM "MatchingRecommendation" r WHERE r."sessionId" = c."sessionId"
    ) o
    WHERE ${where}
    ORDER BY ${orderBy}
    LIMIT ${limit}`;
  return rows.map(({ cost, quality, speed, proximity, capability, reliability, ...choice }) => ({
    ...choice,
    options: { cost, quality, speed, proximity, capability, reliability },
  }));
}

/** The newest choice's sequence number, 0 for an empty log: tells whether another server has recorded more. */
export async function latestChoiceSequence(prisma: Prisma.TransactionClient): Promise<bigint> {
  const latest = await prisma.customerChoice.findFirst({
    orderBy: { sequence: 'desc' },
    select: { sequence: true },
  });
  return latest?.sequence ?? 0n;
}

/** How many choices this customer has recorded so far, over all their sessions. */
export function countCustomerChoices(prisma: Prisma.TransactionClient, customerId: string): Promise<number> {
  return prisma.customerChoice.count({ where: { session: { customerId } } });
}

/**
 * Serialises everything that appends to the choice log, across every server sharing the database, until
 * the transaction ends: the learner folds choices in log order, so the log must grow one choice at a time.
 */
export async function lockChoiceLog(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHOICE_LOG_LOCK})`;
}

/** An arbitrary constant naming the choice log's advisory lock. */
const CHOICE_LOG_LOCK = 7_201_415;

/** Long enough for a choice to wait its turn behind many concurrent ones (the log lock serialises them). */
export const CHOICE_TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

export function countLoggedChoices(prisma: Prisma.TransactionClient): Promise<number> {
  return prisma.customerChoice.count();
}

/** The shown options' factor scores, in presented order, as the choice log holds them. */
export function toShownFactorColumns(shown: readonly FactorScores[]): ShownFactorColumns {
  return {
    cost: shown.map((option) => option.cost),
    quality: shown.map((option) => option.quality),
    speed: shown.map((option) => option.speed),
    proximity: shown.map((option) => option.proximity),
    capability: shown.map((option) => option.capability),
    reliability: shown.map((option) => option.reliability),
  };
}
