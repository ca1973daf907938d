import { randomUUID } from 'node:crypto';
import {
  findInteractions,
  findShownSessions,
  insertInteractions,
  type NewInteraction,
  type StoredInteraction,
} from '@matchloop/db';
import type { RecordInteractionInput, RecordInteractionOutput } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import {
  idReusedForDifferentRequest,
  manufacturerNotShown,
  mayActOnSession,
  sessionNotFound,
} from './errors';
import { requestFingerprint } from './fingerprint';

interface PendingInteraction {
  readonly interaction: NewInteraction;
  readonly actingFor: string | null;
  resolve(output: RecordInteractionOutput): void;
  reject(error: unknown): void;
}

/** Enough to take a whole SDK batch, and several concurrent ones, in one round of queries. */
const MAX_INTERACTIONS_PER_ROUND = 500;

/**
 * Records interactions in rounds: every interaction that arrives while the event loop is busy (an SDK batch
 * of 50 arrives at once, as do concurrent requests) is checked and stored with the others in three
 * statements per round — sessions, insert, and a look at any event id already stored — rather than four
 * per interaction. Each caller still gets its own answer or its own error.
 */
export class InteractionRecorder {
  private pending: PendingInteraction[] = [];
  private roundScheduled = false;

  constructor(private readonly deps: ServiceDependencies) {}

  record(input: RecordInteractionInput, actingFor: string | null): Promise<RecordInteractionOutput> {
    const { eventId, ...content } = input;
    const interaction = {
      ...input,
      eventId: eventId ?? randomUUID(),
      requestHash: requestFingerprint(content),
    };
    return new Promise((resolve, reject) => {
      this.pending.push({ interaction, actingFor, resolve, reject });
      if (!this.roundScheduled) {
        this.roundScheduled = true;
        setImmediate(() => this.runRounds());
      }
    });
  }

  private async runRounds(): Promise<void> {
    while (this.pending.length > 0) {
      const round = this.pending.splice(0, MAX_INTERACTIONS_PER_ROUND);
      await this.store(round).catch((error: unknown) => {
        for (const item of round) item.reject(error);
      });
    }
    this.roundScheduled = false;
  }

  private async store(round: readonly PendingInteraction[]): Promise<void> {
    const { prisma } = this.deps.database;
    const sessionKey = (item: PendingInteraction) => item.interaction.sessionId.toLowerCase();
    const sessions = await findShownSessions(prisma, [...new Set(round.map(sessionKey))]);
    const valid: PendingInteraction[] = [];
    for (const item of round) {
      const { sessionId, manufacturerId } = item.interaction;
      const session = sessions.get(sessionKey(item));
      if (!session || !mayActOnSession(item.actingFor, session.customerId)) {
        item.reject(sessionNotFound(sessionId));
      } else if (!session.manufacturerIds.has(manufacturerId)) {
        item.reject(manufacturerNotShown(manufacturerId, sessionId));
      } else {
        valid.push(item);
      }
    }
    if (valid.length === 0) return;

    const inserted = new Map(
      (
        await insertInteractions(
          prisma,
          valid.map((item) => item.interaction),
        )
      ).map((row) => [row.id, row]),
    );
    const alreadyStored = valid.filter((item) => !inserted.has(eventKey(item)));
    const earlier = new Map(
      alreadyStored.length === 0
        ? []
        : (await findInteractions(prisma, alreadyStored.map(eventKey))).map((row) => [row.id, row]),
    );
    for (const item of valid) {
      const stored = inserted.get(eventKey(item));
      if (stored) {
        // Stored by this round: the first copy of an event id answers as new, any later copy as a retry.
        inserted.delete(eventKey(item));
        earlier.set(stored.id, stored);
        this.deps.metrics.eventsIngested.inc({ type: `interaction_${item.interaction.interactionType}` });
        item.resolve(toOutput(stored));
        continue;
      }
      const winner = earlier.get(eventKey(item));
      if (!winner)
        item.reject(new Error(`interaction ${item.interaction.eventId} was neither stored nor found`));
      else if (winner.requestHash !== item.interaction.requestHash)
        item.reject(idReusedForDifferentRequest('Event', winner.id));
      else item.resolve(toOutput(winner));
    }
  }
}

function eventKey(item: PendingInteraction): string {
  return item.interaction.eventId.toLowerCase();
}

function toOutput(interaction: StoredInteraction): RecordInteractionOutput {
  return { eventId: interaction.id, sessionId: interaction.sessionId, recordedAt: interaction.createdAt };
}
