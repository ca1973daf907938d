import type { Factor } from '@matchloop/schemas';
import type { CustomerChoice, Prisma, PrismaClient } from '../generated/prisma/client';
import type { Segment } from '../generated/prisma/enums';
import { encodeShownFactors } from './choice-log';

export type StoredChoice = CustomerChoice;

export interface NewChoice {
  sessionId: string;
  customerId: string;
  segment: Segment;
  chosenManufacturerId: string | null;
  chosenRank: number | null;
  reasoning?: string | undefined;
  importantFactors?: Factor[] | undefined;
  satisfaction?: number | undefined;
  decisionTimeSeconds?: number | undefined;
  learnedWeightsVersion: number;
  learnedSampleSize: number;
  learnedConfidence: number;
  customerChoiceNumber: number;
  /** The shown options' factor scores, as `toShownFactors` lays them out. */
  shownFactors: Float64Array;
  requestHash: string;
}

export function findChoice(prisma: PrismaClient, sessionId: string): Promise<StoredChoice | null> {
  return prisma.customerChoice.findUnique({ where: { sessionId } });
}

export function insertChoice(prisma: Prisma.TransactionClient, choice: NewChoice): Promise<StoredChoice> {
  return prisma.customerChoice.create({
    data: {
      ...choice,
      shownFactors: encodeShownFactors(choice.shownFactors),
      reasoning: choice.reasoning ?? null,
      importantFactors: choice.importantFactors ?? [],
      satisfaction: choice.satisfaction ?? null,
      decisionTimeSeconds: choice.decisionTimeSeconds ?? null,
    },
  });
}
