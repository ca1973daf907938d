import type { Factor } from '@matchloop/schemas';
import type { CustomerChoice, Prisma, PrismaClient } from '../generated/prisma/client';
import type { Segment } from '../generated/prisma/enums';

export type StoredChoice = CustomerChoice;

export interface NewChoice {
  sessionId: string;
  chosenManufacturerId: string | null;
  chosenRank: number | null;
  reasoning?: string | undefined;
  importantFactors?: Factor[] | undefined;
  satisfaction?: number | undefined;
  decisionTimeSeconds?: number | undefined;
  learnedWeightsVersion: number;
  learnedSampleSize: number;
  learnedConfidence: number;
  requestHash: string;
}

export function findChoice(prisma: PrismaClient, sessionId: string): Promise<StoredChoice | null> {
  return prisma.customerChoice.findUnique({ where: { sessionId } });
}

export function insertChoice(prisma: Prisma.TransactionClient, choice: NewChoice): Promise<StoredChoice> {
  return prisma.customerChoice.create({
    data: {
      ...choice,
      reasoning: choice.reasoning ?? null,
      importantFactors: choice.importantFactors ?? [],
      satisfaction: choice.satisfaction ?? null,
      decisionTimeSeconds: choice.decisionTimeSeconds ?? null,
    },
  });
}

/** Choices recorded so far on sessions of one segment: the evidence the segment's learning rests on. */
export function countChoicesInSegment(prisma: Prisma.TransactionClient, segment: Segment): Promise<number> {
  return prisma.customerChoice.count({ where: { session: { segment } } });
}
