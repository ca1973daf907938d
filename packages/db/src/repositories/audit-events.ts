import type { AuditEvent, Prisma, PrismaClient } from '../generated/prisma/client';

export type StoredAuditEvent = AuditEvent;

export interface AuditEventInput {
  readonly actor: string;
  readonly action: string;
  readonly target?: string | null;
  readonly details?: Prisma.InputJsonObject;
}

/** Written in the same transaction as the action it records, so neither exists without the other. */
export function insertAuditEvent(
  prisma: PrismaClient | Prisma.TransactionClient,
  event: AuditEventInput,
): Promise<StoredAuditEvent> {
  return prisma.auditEvent.create({
    data: {
      actor: event.actor,
      action: event.action,
      target: event.target ?? null,
      details: event.details ?? {},
    },
  });
}

/** The newest events first. */
export function listAuditEvents(prisma: PrismaClient, limit: number): Promise<StoredAuditEvent[]> {
  return prisma.auditEvent.findMany({ orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit });
}
