import {
  findInteractions,
  insertInteractions,
  type NewInteraction,
  type StoredInteraction,
} from '@matchloop/db';
import {
  type InteractionRefusal,
  type InteractionResult,
  interactionRefusalSchema,
  MAX_INTERACTIONS_PER_REQUEST,
  type RecordInteractionInput,
  type RecordInteractionOutput,
  type RecordInteractionsInput,
  type RecordInteractionsOutput,
} from '@matchloop/schemas';
import { newRecordId } from '@matchloop/schemas/ids';
import { TRPCError } from '@trpc/server';
import type { ServiceDependencies } from '.';
import {
  idReusedForDifferentRequest,
  manufacturerNotShown,
  mayActOnSession,
  sessionNotFound,
} from './errors';
import { RequestFingerprint } from './fingerprint';
import { type RoundItem, Rounds } from './rounds';
import type { ShownSessions } from './shown-sessions';

/** An interaction to record, and the one customer whose sessions its caller may touch (null: any). */
interface InteractionRequest {
  readonly interaction: NewInteraction;
  readonly fingerprint: RequestFingerprint;
  readonly actingFor: string | null;
}

type PendingInteraction = RoundItem<InteractionRequest, RecordInteractionOutput>;

/** A whole bulk request fits in one round, as do several SDK batches of single interactions. */
const MAX_INTERACTIONS_PER_ROUND = MAX_INTERACTIONS_PER_REQUEST;

/**
 * Records interactions in rounds (see `Rounds`): every interaction that arrives while the event loop is
 * busy — a bulk request's items, an SDK batch of single calls, concurrent requests — is checked and stored
 * with the others in at most three statements per round — the sessions not remembered (see `ShownSessions`),
 * insert, and a look at any event id already stored — rather than four per interaction. Each interaction
 * still gets its own answer or its own error.
 */
export class InteractionRecorder {
  private readonly rounds: Rounds<InteractionRequest, RecordInteractionOutput>;

  constructor(
    private readonly deps: ServiceDependencies,
    private readonly shownSessions: ShownSessions,
  ) {
    this.rounds = new Rounds((round) => this.store(round), MAX_INTERACTIONS_PER_ROUND);
  }

  record(input: RecordInteractionInput, actingFor: string | null): Promise<RecordInteractionOutput> {
    const { eventId, ...content } = input;
    const fingerprint = new RequestFingerprint(content);
    // Its own fields first, the caller's after: on Node 20, adding fields to a spread copy takes the engine's
    // slow path, some 3 µs an interaction against 0.5, and a bulk request may hold 500.
    const interaction = {
      eventId: eventId ?? newRecordId(),
      requestHash: fingerprint.digest,
      ...content,
    };
    return this.rounds.submit({ interaction, fingerprint, actingFor });
  }

  /**
   * Records each interaction exactly as `record` does, and answers for each in order: one that `record`
   * would refuse is refused on its own, and the others are stored all the same.
   */
  async recordAll(
    { interactions }: RecordInteractionsInput,
    actingFor: string | null,
  ): Promise<RecordInteractionsOutput> {
    const settled = await Promise.allSettled(
      interactions.map((interaction) => this.record(interaction, actingFor)),
    );
    return { results: settled.map(toResult) };
  }

  private async store(round: readonly PendingInteraction[]): Promise<void> {
    const { prisma, statements } = this.deps.database;
    const sessionKey = (item: PendingInteraction) => item.input.interaction.sessionId.toLowerCase();
    const sessions = await this.shownSessions.find(statements, [...new Set(round.map(sessionKey))]);
    const valid: PendingInteraction[] = [];
    for (const item of round) {
      const { sessionId, manufacturerId } = item.input.interaction;
      const session = sessions.get(sessionKey(item));
      if (!session || !mayActOnSession(item.input.actingFor, session.customerId)) {
        item.reject(sessionNotFound(sessionId));
      } else if (!session.showed(manufacturerId)) {
        item.reject(manufacturerNotShown(manufacturerId, sessionId));
      } else {
        valid.push(item);
      }
    }
    if (valid.length === 0) return;

    const inserted = new Map(
      (
        await insertInteractions(
          statements,
          valid.map((item) => item.input.interaction),
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
      const { interaction } = item.input;
      const stored = inserted.get(eventKey(item));
      if (stored) {
        // Stored by this round: the first copy of an event id answers as new, any later copy as a retry.
        inserted.delete(eventKey(item));
        earlier.set(stored.id, stored);
        this.deps.metrics.eventsIngested.inc({ type: `interaction_${interaction.interactionType}` });
        item.resolve(toOutput(stored));
        continue;
      }
      const winner = earlier.get(eventKey(item));
      if (!winner) item.reject(new Error(`interaction ${interaction.eventId} was neither stored nor found`));
      else if (!item.input.fingerprint.matches(winner.requestHash))
        item.reject(idReusedForDifferentRequest('Event', winner.id));
      else item.resolve(toOutput(winner));
    }
  }
}

function eventKey(item: PendingInteraction): string {
  return item.input.interaction.eventId.toLowerCase();
}

function toOutput(interaction: StoredInteraction): RecordInteractionOutput {
  return { eventId: interaction.id, sessionId: interaction.sessionId, recordedAt: interaction.createdAt };
}

const REFUSAL_CODES: readonly string[] = interactionRefusalSchema.shape.code.options;

function isRefusal(error: unknown): error is TRPCError & { code: InteractionRefusal['code'] } {
  return error instanceof TRPCError && REFUSAL_CODES.includes(error.code);
}

/** A refusal answers for its one interaction; any other failure (the database is down) fails the request. */
function toResult(settled: PromiseSettledResult<RecordInteractionOutput>): InteractionResult {
  if (settled.status === 'fulfilled') return { outcome: 'recorded', ...settled.value };
  if (isRefusal(settled.reason)) {
    return { outcome: 'refused', error: { code: settled.reason.code, message: settled.reason.message } };
  }
  throw settled.reason;
}
