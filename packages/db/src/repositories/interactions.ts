import type { RecordInteractionInput } from '@matchloop/schemas';
import type { PrismaClient, RecommendationInteraction } from '../generated/prisma/client';
import { type PreparedStatements, preparedStatement } from '../prepared-statements';

/** What answering for a stored interaction takes: its ids, when it was stored, and what was sent. */
export type StoredInteraction = Pick<
  RecommendationInteraction,
  'id' | 'sessionId' | 'requestHash' | 'createdAt'
>;

const STORED_INTERACTION = {
  id: true,
  sessionId: true,
  requestHash: true,
  createdAt: true,
} as const satisfies Record<keyof StoredInteraction, true>;

export type NewInteraction = RecordInteractionInput & { eventId: string; requestHash: string };

/** The stored interactions among these event ids. */
export function findInteractions(
  prisma: PrismaClient,
  eventIds: readonly string[],
): Promise<StoredInteraction[]> {
  return prisma.recommendationInteraction.findMany({
    where: { id: { in: [...eventIds] } },
    select: STORED_INTERACTION,
  });
}

/**
 * Stores the interactions in ONE statement and returns those it stored. One whose event id is already
 * stored (a retry, or a copy earlier in the same batch) is skipped, not an error: the caller compares it
 * with what is stored. Stamped by the server's clock, as Prisma's own writes are.
 */
export function insertInteractions(
  statements: PreparedStatements,
  interactions: readonly NewInteraction[],
): Promise<StoredInteraction[]> {
  const rows = interactions.map((interaction) => ({
    id: interaction.eventId,
    sessionId: interaction.sessionId,
    manufacturerId: interaction.manufacturerId,
    interactionType: interaction.interactionType,
    timeSpentSeconds: interaction.timeSpentSeconds ?? null,
    viewedExplanationLevel: interaction.viewedExplanationLevel ?? null,
    expandedSections: interaction.expandedSections ?? [],
    helpfulRating: interaction.helpfulRating ?? null,
    requestHash: interaction.requestHash,
  }));
  return statements.run(INSERT_INTERACTIONS, [new Date().toISOString(), JSON.stringify(rows)]);
}

const INSERT_INTERACTIONS = preparedStatement<[createdAt: string, interactions: string], StoredInteraction>(
  'insert-interactions',
  `INSERT INTO "RecommendationInteraction"
     (id, "sessionId", "manufacturerId", "interactionType", "timeSpentSeconds", "viewedExplanationLevel",
      "expandedSections", "helpfulRating", "requestHash", "createdAt")
   SELECT r.id, r."sessionId", r."manufacturerId", r."interactionType"::"InteractionType", r."timeSpentSeconds",
          r."viewedExplanationLevel", r."expandedSections", r."helpfulRating", r."requestHash", $1::timestamptz
   FROM jsonb_to_recordset($2::jsonb) AS r(
     id uuid, "sessionId" uuid, "manufacturerId" text, "interactionType" text, "timeSpentSeconds" float8,
     "viewedExplanationLevel" text, "expandedSections" text[], "helpfulRating" int, "requestHash" text)
   ON CONFLICT (id) DO NOTHING
   RETURNING id::text AS id, "sessionId"::text AS "sessionId", "requestHash", "createdAt"`,
);
