import type { Prisma } from '../generated/prisma/client';

const choiceWithShownOptions = {
  include: {
    session: {
      select: {
        customerId: true,
        segment: true,
        recommendations: {
          orderBy: { rank: 'asc' },
          select: {
            manufacturerId: true,
            rank: true,
            cost: true,
            quality: true,
            speed: true,
            proximity: true,
            capability: true,
            reliability: true,
          },
        },
      },
    },
  },
} as const satisfies Prisma.CustomerChoiceDefaultArgs;

/** A recorded choice with everything the learner needs: who chose, in which segment, among what. */
export type LoggedChoice = Prisma.CustomerChoiceGetPayload<typeof choiceWithShownOptions>;

/**
 * The choice log after a given sequence number, in the order the learner folds it, read in pages so
 * that replaying a long log never holds it all in memory.
 */
export async function* readChoiceLog(
  prisma: Prisma.TransactionClient,
  afterSequence: bigint,
  pageSize = 5000,
): AsyncGenerator<LoggedChoice> {
  let after = afterSequence;
  for (;;) {
    const page = await prisma.customerChoice.findMany({
      ...choiceWithShownOptions,
      where: { sequence: { gt: after } },
      orderBy: { sequence: 'asc' },
      take: pageSize,
    });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = last.sequence;
  }
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
 * the transaction ends: the learner folds choices in log order, so the log must grow one choice at a time.
 */
export async function lockChoiceLog(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHOICE_LOG_LOCK})`;
}

/** An arbitrary constant naming the choice log's advisory lock. */
const CHOICE_LOG_LOCK = 7_201_415;
