import { randomUUID } from 'node:crypto';
import {
  findInteraction,
  findSession,
  insertInteraction,
  isUniqueViolation,
  type StoredInteraction,
} from '@matchloop/db';
import type { RecordInteractionInput, RecordInteractionOutput } from '@matchloop/schemas';
import { TRPCError } from '@trpc/server';
import type { ServiceDependencies } from '.';
import { idReusedForDifferentRequest, mayActOnSession, sessionNotFound } from './errors';
import { requestFingerprint } from './fingerprint';

export async function recordInteraction(
  deps: ServiceDependencies,
  input: RecordInteractionInput,
  actingFor: string | null,
): Promise<RecordInteractionOutput> {
  const { prisma } = deps.database;
  const { eventId: requestedId, ...content } = input;
  const requestHash = requestFingerprint(content);
  if (requestedId) {
    const earlier = await findInteraction(prisma, requestedId);
    if (earlier) return replayed(earlier, requestHash);
  }

  const session = await findSession(prisma, input.sessionId);
  if (!session || !mayActOnSession(actingFor, session.customerId)) throw sessionNotFound(input.sessionId);
  if (!session.recommendations.some(({ manufacturerId }) => manufacturerId === input.manufacturerId)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Manufacturer ${input.manufacturerId} was not shown in session ${input.sessionId}`,
    });
  }

  const eventId = requestedId ?? randomUUID();
  try {
    const stored = await insertInteraction(prisma, { ...input, eventId, requestHash });
    deps.metrics.eventsIngested.inc({ type: `interaction_${input.interactionType}` });
    return toOutput(stored);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findInteraction(prisma, eventId);
    if (!winner) throw error;
    return replayed(winner, requestHash);
  }
}

function replayed(interaction: StoredInteraction, requestHash: string): RecordInteractionOutput {
  if (interaction.requestHash !== requestHash) throw idReusedForDifferentRequest('Event', interaction.id);
  return toOutput(interaction);
}

function toOutput(interaction: StoredInteraction): RecordInteractionOutput {
  return { eventId: interaction.id, sessionId: interaction.sessionId, recordedAt: interaction.createdAt };
}
