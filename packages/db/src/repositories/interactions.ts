import type { RecordInteractionInput } from '@matchloop/schemas';
import type { PrismaClient, RecommendationInteraction } from '../generated/prisma/client';

export type StoredInteraction = RecommendationInteraction;

export function findInteraction(prisma: PrismaClient, eventId: string): Promise<StoredInteraction | null> {
  return prisma.recommendationInteraction.findUnique({ where: { id: eventId } });
}

export function insertInteraction(
  prisma: PrismaClient,
  interaction: RecordInteractionInput & { eventId: string; requestHash: string },
): Promise<StoredInteraction> {
  return prisma.recommendationInteraction.create({
    data: {
      id: interaction.eventId,
      sessionId: interaction.sessionId,
      manufacturerId: interaction.manufacturerId,
      interactionType: interaction.interactionType,
      timeSpentSeconds: interaction.timeSpentSeconds ?? null,
      viewedExplanationLevel: interaction.viewedExplanationLevel ?? null,
      expandedSections: interaction.expandedSections ?? [],
      helpfulRating: interaction.helpfulRating ?? null,
      requestHash: interaction.requestHash,
    },
  });
}
