import type { Prisma } from '../generated/prisma/client';
import { encodeShownFactors } from './choice-log';

/** A past session brought in from elsewhere, with what was shown and what was chosen. */
export interface HistoricalSession {
  session: Prisma.MatchingFeedbackSessionCreateManyInput;
  recommendations: Prisma.MatchingRecommendationCreateManyInput[];
  choice: Omit<Prisma.CustomerChoiceCreateManyInput, 'shownFactors'> & { shownFactors: Float64Array };
}

/**
 * Writes a batch of past sessions with a few multi-row statements. Choices are written in the batch's
 * order, which becomes their order in the choice log.
 */
export async function insertHistoricalSessions(
  tx: Prisma.TransactionClient,
  batch: readonly HistoricalSession[],
): Promise<void> {
  await tx.matchingFeedbackSession.createMany({ data: batch.map(({ session }) => session) });
  await tx.matchingRecommendation.createMany({
    data: batch.flatMap(({ recommendations }) => recommendations),
  });
  await tx.customerChoice.createMany({
    data: batch.map(({ choice }) => ({ ...choice, shownFactors: encodeShownFactors(choice.shownFactors) })),
  });
}

/** Which of these session ids are already stored. */
export async function existingSessionIds(
  tx: Prisma.TransactionClient,
  ids: readonly string[],
): Promise<Set<string>> {
  const rows = await tx.matchingFeedbackSession.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true },
  });
  return new Set(rows.map((row) => row.id));
}

/** How many choices each of these customers has recorded so far. */
export async function choiceCountsByCustomer(
  tx: Prisma.TransactionClient,
  customerIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await tx.customerChoice.groupBy({
    by: ['customerId'],
    where: { customerId: { in: [...customerIds] } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.customerId, row._count._all]));
}
