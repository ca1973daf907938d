import type { Segment } from '@matchloop/schemas';
import type { Prisma } from '../generated/prisma/client';
import { encodeShownFactors } from '../repositories/choice-log';

/** A choice to write straight into the log; what a test leaves out, it does not care about. */
export interface DirectChoice {
  readonly sessionId: string;
  readonly customerId?: string;
  readonly segment?: Segment;
  readonly chosenRank?: number | null;
  readonly importantFactors?: readonly string[];
  readonly customerChoiceNumber?: number;
  /** The shown options' factor scores, option after option, `FACTORS` order. */
  readonly shownFactors?: Float64Array;
  /** The segment's confidence once the choice was learned from. */
  readonly learnedConfidence?: number;
  /** When the choice was logged; the database's clock where not given. */
  readonly createdAt?: Date;
}

/**
 * Writes a choice and the session it was made in straight into the database, as no server would: for tests
 * of what reads the log, announces it or must notice a choice it was never told of. Returns the choice's
 * sequence number.
 */
export async function logChoiceDirectly(
  prisma: Prisma.TransactionClient,
  {
    sessionId,
    customerId = 'acme',
    segment = 'balanced',
    chosenRank = null,
    importantFactors = [],
    customerChoiceNumber = 1,
    shownFactors = new Float64Array(),
    learnedConfidence = 0,
    createdAt,
  }: DirectChoice,
): Promise<bigint> {
  await prisma.$executeRaw`
    INSERT INTO "MatchingFeedbackSession"
      (id, "customerId", segment, "segmentSource", "weightsVersion", "weightsSource", "weightsConfidence",
       weights, "order", status, "requestHash")
    VALUES (${sessionId}::uuid, ${customerId}, ${segment}::"Segment", 'rules', 0, 'default', 0, '{}', 'ranked',
            'chosen', 'h')`;
  const [logged] = await prisma.$queryRaw<[{ sequence: bigint }]>`
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenRank", "importantFactors", "customerChoiceNumber",
       "shownFactors", "learnedWeightsVersion", "learnedSampleSize", "learnedConfidence", "requestHash",
       "createdAt")
    VALUES (${sessionId}::uuid, ${customerId}, ${segment}::"Segment", ${chosenRank}, ${[...importantFactors]},
            ${customerChoiceNumber}, ${encodeShownFactors(shownFactors)}, 0, 0, ${learnedConfidence}, 'h',
            COALESCE(${createdAt ?? null}::timestamptz, CURRENT_TIMESTAMP))
    RETURNING sequence`;
  return logged.sequence;
}
