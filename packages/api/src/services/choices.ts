import {
  appendChoices,
  CHOICE_TRANSACTION_OPTIONS,
  type ChoosableSession,
  findChoosableSessions,
  type LoggedChoice,
  lockChoiceLog,
  type NewChoice,
  type PreparedStatements,
  type Prisma,
  type RecordedChoice,
  transactionStatements,
} from '@matchloop/db';
import type { RecordChoiceInput, RecordChoiceOutput } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import {
  idReusedForDifferentRequest,
  manufacturerNotShown,
  mayActOnSession,
  sessionNotFound,
} from './errors';
import { RequestFingerprint } from './fingerprint';
import type { AppendedChoice, VersionedWeights } from './learning';
import type { CheckpointWriter, LearnerCheckpoint } from './learning-checkpoints';
import type { RecentChoices } from './recent-choices';
import { type RoundItem, Rounds } from './rounds';
import type { ShownSessions } from './shown-sessions';

/** Every concurrent choice a busy server has, in one round: each adds under 1 KB to the round's statements. */
const MAX_CHOICES_PER_ROUND = 200;
/**
 * Times a round is read and appended before it is done under the log's lock. Another server logging a
 * choice in between refuses an append, and the lock, held across a transaction's round trips, stalls every
 * other server's appends behind it and gets theirs refused in turn: with two servers taking 200 choices a
 * second between them, two appends in three fell back on it at once, and a choice took 26 ms (p50).
 */
const READ_ATTEMPTS = 3;

interface ChoiceRequest {
  readonly input: RecordChoiceInput;
  readonly actingFor: string | null;
  readonly fingerprint: RequestFingerprint;
}

type PendingChoice = RoundItem<ChoiceRequest, RecordChoiceOutput>;

/** A session's choice as the round logs it. */
interface SessionChoice {
  readonly session: ChoosableSession;
  readonly chosenRank: number | null;
  /** What is logged: the round's first copy of the choice. */
  readonly request: ChoiceRequest;
  /** Everyone waiting for the answer: the first copy and every other the round was sent. */
  readonly copies: PendingChoice[];
}

/** A round's choices as appended to the log, the learner's checkpoints among them, and how to serve them. */
interface Appended {
  readonly logged: readonly (SessionChoice & {
    readonly recorded: RecordedChoice;
    readonly inLog: LoggedChoice;
  })[];
  readonly checkpoints: readonly LearnerCheckpoint[];
  publish(): void;
}

/**
 * Records choices in rounds, group-commit style: the choices that arrive together are appended to the log
 * at once — one read of their sessions (which also tells where the log ends), one statement that appends
 * them if the log still ends there once its lock is held — and folded into the learner in log order, so that
 * every server sharing the database still learns the same from the same log. A round for sessions this
 * server opened skips the read when the server knows what it would say: the statement alone then checks it,
 * and the round is read and done again only when it was out of date. When another server has logged a
 * choice in between, the round is read and appended again, and after READ_ATTEMPTS reads it is done in a
 * transaction holding the lock throughout. Each
 * caller gets its own answer or error, and a retried or concurrent copy of a choice, sent to this server or
 * another, the answer that the logged one was given.
 */
export class ChoiceRecorder {
  private readonly rounds = new Rounds<ChoiceRequest, RecordChoiceOutput>(
    (round) => this.recordRound(round),
    MAX_CHOICES_PER_ROUND,
  );

  constructor(
    private readonly deps: ServiceDependencies,
    private readonly shownSessions: ShownSessions,
    private readonly recentChoices: RecentChoices,
    private readonly checkpoints: CheckpointWriter,
  ) {}

  record(input: RecordChoiceInput, actingFor: string | null): Promise<RecordChoiceOutput> {
    return this.rounds.submit({ input, actingFor, fingerprint: new RequestFingerprint(input) });
  }

  private async recordRound(round: readonly PendingChoice[]): Promise<void> {
    const { prisma, statements } = this.deps.database;
    const known = this.knownSessions(round);
    if (known) {
      const toLog = sortOut(round, known.sessions);
      if (await this.log(toLog, () => this.append(toLog, statements, known.logEnd))) return;
      // What this server knew was out of date: the log moved on, or a session or customer has had a choice.
      round = copiesOf(toLog);
    }
    const underLock = (toLog: readonly SessionChoice[]) =>
      prisma.$transaction((tx) => this.appendUnderLock(tx, copiesOf(toLog)), CHOICE_TRANSACTION_OPTIONS);
    for (let attempt = 1; ; attempt++) {
      const { toLog, logEnd } = await this.read(round, prisma, statements);
      const write = async () =>
        (await this.append(toLog, statements, logEnd)) ??
        (attempt < READ_ATTEMPTS ? null : await underLock(toLog));
      if (await this.log(toLog, write)) return;
      round = copiesOf(toLog);
    }
  }

  /**
   * The round's sessions as this server knows them without asking the database, with where the log ends:
   * when it remembers every session, has folded the log as far as the change feed tells, and knows how many
   * choices each session's customer has logged. Appending checks what may have changed since: a choice
   * announced late, or one for a session this server opened.
   */
  private knownSessions(
    round: readonly PendingChoice[],
  ): { sessions: Map<string, ChoosableSession>; logEnd: bigint } | null {
    const logEnd = this.deps.learning.foldedUpToLogEnd();
    const remembered = logEnd === null ? null : this.shownSessions.remembered(sessionIds(round));
    if (logEnd === null || remembered === null) return null;
    const sessions = new Map<string, ChoosableSession>();
    for (const [id, shown] of remembered) {
      const customerChoices = this.recentChoices.choicesLoggedBy(shown.customerId);
      if (customerChoices === undefined) return null;
      sessions.set(id, { id, shown, choice: null, customerChoices });
    }
    return { sessions, logEnd };
  }

  /**
   * Logs the choices with `write`, adds each to what is kept of its customer's choices, has the learner
   * serve them, and answers everyone waiting for them; false, with nothing logged, when `write` found the
   * log moved on and wrote nothing.
   */
  private async log(
    toLog: readonly SessionChoice[],
    write: () => Promise<Appended | null>,
  ): Promise<boolean> {
    const customers = toLog.map(({ session }) => session.shown.customerId);
    const appended = await this.recentChoices.whileLogging(customers, async (keep) => {
      const appended = await write();
      for (const { session, inLog } of appended?.logged ?? []) keep(session.shown.customerId, inLog);
      return appended;
    });
    if (appended === null) return false;
    appended.publish();
    for (const { session, copies, recorded } of appended.logged) {
      this.deps.metrics.eventsIngested.inc({ type: recorded.chosenRank === null ? 'choice_none' : 'choice' });
      for (const item of copies) answerAsRecorded(item, session, recorded);
    }
    // Only once the choices are committed: a checkpoint lost to a crash costs a longer catch-up at start.
    for (const checkpoint of appended.checkpoints) this.checkpoints.store(checkpoint);
    return true;
  }

  /**
   * Appends the choices, learned from, if the log still ends at `logEnd`, where the learner has folded it up
   * to and where the caller read their sessions; null, having written nothing, otherwise.
   */
  private async append(
    toLog: readonly SessionChoice[],
    statements: PreparedStatements,
    logEnd: bigint,
  ): Promise<Appended | null> {
    if (toLog.length === 0) return { logged: [], checkpoints: [], publish: () => {} };
    const appended = await this.deps.learning.append(numbered(toLog), (learned, foldedUpTo) =>
      foldedUpTo === logEnd
        ? appendChoices(statements, logEnd, learned.map(toNewChoice))
        : Promise.resolve(null),
    );
    if (appended === null) return null;
    // `append` hands back what was written in the order it was given.
    const logged = toLog.map((choice, index) => {
      const written = appended.written[index] as NewChoice & { sequence: bigint };
      // Its own fields before the spread: see the README's "Objects on the hot paths".
      return { recorded: written, inLog: asLogged(written), ...choice };
    });
    return { logged, ...appended };
  }

  /**
   * The round's sessions as stored, each choice sorted out, and where the log ends, once this server has
   * learned every choice logged up to there: those the read brings along, then any it left out.
   */
  private async read(
    round: readonly PendingChoice[],
    db: Prisma.TransactionClient,
    statements: PreparedStatements,
  ): Promise<{ toLog: SessionChoice[]; logEnd: bigint }> {
    const { learning } = this.deps;
    const { sessions, logEnd, logTail } = await findChoosableSessions(
      statements,
      sessionIds(round),
      learning.foldedUpTo,
    );
    const toLog = sortOut(round, sessions);
    learning.foldLogged(logTail);
    await learning.catchUpTo(db, logEnd);
    return { toLog, logEnd };
  }

  /**
   * The round again, holding the log's lock from the read of the sessions on, so that no other server can
   * log a choice for them, or for their customers, until the transaction ends.
   */
  private async appendUnderLock(
    tx: Prisma.TransactionClient,
    round: readonly PendingChoice[],
  ): Promise<Appended> {
    await lockChoiceLog(tx);
    const statements = transactionStatements(tx);
    const { toLog, logEnd } = await this.read(round, tx, statements);
    const appended = await this.append(toLog, statements, logEnd);
    if (appended === null) throw new Error('the choice log moved on while this server held its lock');
    return appended;
  }
}

/** Everyone waiting on these choices: what a round is done again with, each answered once it is logged. */
function copiesOf(toLog: readonly SessionChoice[]): PendingChoice[] {
  return toLog.flatMap(({ copies }) => copies);
}

function sessionIds(round: readonly PendingChoice[]): string[] {
  return [...new Set(round.map(sessionKey))];
}

function sessionKey(item: PendingChoice): string {
  return item.input.input.sessionId.toLowerCase();
}

/**
 * Refuses the choices for sessions the caller may not see or for manufacturers they did not show, answers
 * those for sessions that have a choice already, and returns the others, each session's copies together.
 */
function sortOut(round: readonly PendingChoice[], sessions: Map<string, ChoosableSession>): SessionChoice[] {
  const toLog = new Map<string, SessionChoice>();
  for (const item of round) {
    const { sessionId, chosenManufacturerId } = item.input.input;
    const session = sessions.get(sessionKey(item));
    if (!session || !mayActOnSession(item.input.actingFor, session.shown.customerId)) {
      item.reject(sessionNotFound(sessionId));
      continue;
    }
    const chosenRank = chosenManufacturerId === null ? null : session.shown.rankOf(chosenManufacturerId);
    if (chosenManufacturerId !== null && chosenRank === null) {
      item.reject(manufacturerNotShown(chosenManufacturerId, sessionId));
    } else if (session.choice) {
      answerAsRecorded(item, session, session.choice);
    } else {
      const first = toLog.get(session.id);
      if (first) first.copies.push(item);
      else toLog.set(session.id, { session, chosenRank, request: item.input, copies: [item] });
    }
  }
  return [...toLog.values()];
}

/** A choice as the log holds it, with the session choice it comes from. */
interface NumberedChoice extends AppendedChoice {
  readonly from: SessionChoice;
}

/**
 * The choices as the log holds them, each numbered among its customer's choices: after all of the
 * customer's earlier ones, those earlier in the round included.
 */
function numbered(choices: readonly SessionChoice[]): NumberedChoice[] {
  const choicesSoFar = new Map<string, number>();
  return choices.map((from) => {
    const { session, chosenRank, request } = from;
    const { customerId, segment, shownFactors } = session.shown;
    const customerChoiceNumber = (choicesSoFar.get(customerId) ?? session.customerChoices) + 1;
    choicesSoFar.set(customerId, customerChoiceNumber);
    return {
      from,
      segment,
      customerChoiceNumber,
      chosenRank,
      importantFactors: request.input.importantFactors ?? [],
      shownFactors,
    };
  });
}

/** The log row of the round's first copy of a choice, with what its segment had learned right after it. */
function toNewChoice({ choice, learned }: { choice: NumberedChoice; learned: VersionedWeights }): NewChoice {
  const { session, request } = choice.from;
  // What the caller sent, field by field rather than spread and added to: see the README's "Objects on the
  // hot paths".
  const { chosenManufacturerId, reasoning, importantFactors, satisfaction, decisionTimeSeconds } =
    request.input;
  return {
    sessionId: session.id,
    chosenManufacturerId,
    reasoning,
    importantFactors,
    satisfaction,
    decisionTimeSeconds,
    customerId: session.shown.customerId,
    segment: session.shown.segment,
    chosenRank: choice.chosenRank,
    customerChoiceNumber: choice.customerChoiceNumber,
    shownFactors: choice.shownFactors,
    learnedWeightsVersion: learned.version,
    learnedSampleSize: learned.sampleSize,
    learnedConfidence: learned.confidence,
    requestHash: request.fingerprint.digest,
  };
}

/** A choice as reading the log gives it back, without what learning from it does not need. */
function asLogged(written: NewChoice & { sequence: bigint }): LoggedChoice {
  return {
    sequence: written.sequence,
    segment: written.segment,
    customerChoiceNumber: written.customerChoiceNumber,
    chosenRank: written.chosenRank,
    importantFactors: written.importantFactors ?? [],
    shownFactors: written.shownFactors,
  };
}

/**
 * Answers a copy of a session's choice from the choice the log holds: the copy that was logged, and any
 * retry of it, with what was learned from it; a different choice for the same session is refused.
 */
function answerAsRecorded(item: PendingChoice, session: ChoosableSession, choice: RecordedChoice): void {
  if (!item.input.fingerprint.matches(choice.requestHash)) {
    item.reject(idReusedForDifferentRequest('A choice for session', session.id));
    return;
  }
  item.resolve({
    sessionId: session.id,
    chosenManufacturerId: choice.chosenManufacturerId,
    chosenRank: choice.chosenRank,
    learning: {
      segment: session.shown.segment,
      weightsVersion: choice.learnedWeightsVersion,
      sampleSize: choice.learnedSampleSize,
      confidence: choice.learnedConfidence,
    },
  });
}
