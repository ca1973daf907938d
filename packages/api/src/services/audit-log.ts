import { type Database, insertAuditEvent, listAuditEvents, type StoredAuditEvent } from '@matchloop/db';

export type AuditEvent = StoredAuditEvent;

/**
 * The record of what operators did to the installation. Key changes are audited inside their own
 * transactions (see api-keys); longer operations such as an import are recorded once they have succeeded.
 */
export function auditLog(database: Database) {
  return {
    record: (event: {
      actor: string;
      action: string;
      target?: string;
      details?: Record<string, string | number>;
    }) => insertAuditEvent(database.prisma, event),
    /** The newest `limit` events, newest first. */
    list: (limit: number): Promise<AuditEvent[]> => listAuditEvents(database.prisma, limit),
  };
}
