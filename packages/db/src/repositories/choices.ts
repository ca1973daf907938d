import type { Factor } from '@matchloop/schemas';
import type { Segment } from '../generated/prisma/enums';
import { type PreparedStatements, preparedStatement } from '../prepared-statements';
import {
  CHOICE_LOG_LOCK,
  decodeLoggedChoices,
  encodeShownFactors,
  type LoggedChoice,
  loggedChoicesAfter,
} from './choice-log';
import {
  SHOWN_SESSION_COLUMNS,
  SHOWN_SESSION_JOIN,
  type ShownSession,
  type ShownSessionRow,
  shownSession,
} from './sessions';

/** A logged choice as a retry of it is answered, with the fingerprint that tells a retry from a conflict. */
export interface RecordedChoice {
  readonly chosenManufacturerId: string | null;
  readonly chosenRank: number | null;
  readonly learnedWeightsVersion: number;
  readonly learnedSampleSize: number;
  readonly learnedConfidence: number;
  readonly requestHash: string;
}

/** A session as recording its choice needs it. */
export interface ChoosableSession {
  readonly id: string;
  readonly shown: ShownSession;
  readonly choice: RecordedChoice | null;
  /** Choices the session's customer has logged so far, over all their sessions. */
  readonly customerChoices: number;
}

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

/**
 * The sessions among these ids, keyed by id in lower case, in one query however many are asked for, where
 * the choice log ends, and the choices logged after `foldedUpTo` (LOG_TAIL_LIMIT at most, in log order), so
 * that a server a few choices behind the log learns them with the same round trip. What it says of the
 * sessions' choices and of their customers holds for as long as the log still ends there: `appendChoices`
 * checks that under the log's lock before it writes.
 */
export async function findChoosableSessions(
  statements: PreparedStatements,
  ids: readonly string[],
  foldedUpTo: bigint,
): Promise<{ sessions: Map<string, ChoosableSession>; logEnd: bigint; logTail: LoggedChoice[] }> {
  const rows = await statements.run(FIND_CHOOSABLE_SESSIONS, [[...ids], String(foldedUpTo)]);
  const sessions = new Map<string, ChoosableSession>();
  for (const row of rows) {
    if (row.id === null) continue;
    const { id, choice, customerChoices } = row;
    sessions.set(id, { id, shown: shownSession(row), choice, customerChoices });
  }
  const [first] = rows;
  return {
    sessions,
    logEnd: BigInt(first?.logEnd ?? 0),
    logTail: first?.logTail ? decodeLoggedChoices(first.logTail) : [],
  };
}

/**
 * Choices another server may log between two of this server's rounds: with two servers taking 200 choices a
 * second between them, each round finds one or two. A server further behind reads the rest of the log.
 */
const LOG_TAIL_LIMIT = 50;

/**
 * One row even when no session is found, to carry where the log ends: a missing session's id is null. The
 * log's tail comes on the first row only.
 */
const FIND_CHOOSABLE_SESSIONS = preparedStatement<
  [ids: string[], foldedUpTo: string],
  { logEnd: string; logTail: Uint8Array | null } & (
    | (ShownSessionRow & { id: string; choice: RecordedChoice | null; customerChoices: number })
    | { id: null }
  )
>(
  'find-choosable-sessions',
  `SELECT log."end"::text AS "logEnd", CASE WHEN row_number() OVER () = 1 THEN log.tail END AS "logTail",
          s.id::text AS id, ${SHOWN_SESSION_COLUMNS},
          CASE WHEN c."sessionId" IS NOT NULL THEN
            json_build_object('chosenManufacturerId', c."chosenManufacturerId", 'chosenRank', c."chosenRank",
                              'learnedWeightsVersion', c."learnedWeightsVersion",
                              'learnedSampleSize', c."learnedSampleSize",
                              'learnedConfidence', c."learnedConfidence", 'requestHash', c."requestHash")
          END AS choice,
          (SELECT count(*)::int FROM "CustomerChoice" e WHERE e."customerId" = s."customerId")
            AS "customerChoices"
   FROM (SELECT coalesce(max(sequence), 0) AS "end", ${loggedChoicesAfter('$2::bigint', LOG_TAIL_LIMIT)} AS tail
         FROM "CustomerChoice") log
   LEFT JOIN "MatchingFeedbackSession" s ON s.id = ANY($1::uuid[])
   ${SHOWN_SESSION_JOIN}
   LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id`,
);

/**
 * Appends the choices to the log, in the order given, and closes their sessions, in ONE statement, if the
 * log is still as the caller knew it once its lock is held: it ends at `expectedLogEnd`, each session is
 * stored and has no choice, and each customer has logged exactly the choices numbered before their first
 * one here. Returns them with the sequence each was logged at, or null, having written nothing, when any of
 * that no longer holds. The sessions must be distinct. Stamped by the server's clock, as Prisma's own writes
 * are.
 */
export async function appendChoices(
  statements: PreparedStatements,
  expectedLogEnd: bigint,
  choices: readonly NewChoice[],
): Promise<(NewChoice & { sequence: bigint })[] | null> {
  // The columns the statement reads, each named, not a spread of the choice with some replaced: see the
  // README's "Objects on the hot paths".
  const rows = choices.map((choice, position) => ({
    position,
    sessionId: choice.sessionId,
    customerId: choice.customerId,
    segment: choice.segment,
    chosenManufacturerId: choice.chosenManufacturerId,
    chosenRank: choice.chosenRank,
    reasoning: choice.reasoning ?? null,
    importantFactors: choice.importantFactors ?? [],
    satisfaction: choice.satisfaction ?? null,
    decisionTimeSeconds: choice.decisionTimeSeconds ?? null,
    learnedWeightsVersion: choice.learnedWeightsVersion,
    learnedSampleSize: choice.learnedSampleSize,
    learnedConfidence: choice.learnedConfidence,
    customerChoiceNumber: choice.customerChoiceNumber,
    shownFactors: Buffer.from(encodeShownFactors(choice.shownFactors)).toString('base64'),
    requestHash: choice.requestHash,
  }));
  const logged = await statements.run(APPEND_CHOICES, [
    String(CHOICE_LOG_LOCK),
    String(expectedLogEnd),
    JSON.stringify(rows),
    new Date().toISOString(),
  ]);
  if (logged.length === 0) return null;
  const sequenceOf = new Map(logged.map((row) => [row.sessionId, BigInt(row.sequence)]));
  return choices.map((choice) => {
    const sequence = sequenceOf.get(choice.sessionId.toLowerCase());
    if (sequence === undefined) throw new Error(`the choice in session ${choice.sessionId} was not logged`);
    // Its own fields before the spread: see the README's "Objects on the hot paths".
    return { sequence, ...choice };
  });
}

/** The function of migration 20261203083000, which holds the statement that writes. */
const APPEND_CHOICES = preparedStatement<
  [lockKey: string, expectedLogEnd: string, choices: string, createdAt: string],
  { sessionId: string; sequence: string }
>(
  'append-choices',
  `SELECT logged_session_id AS "sessionId", logged_sequence::text AS sequence
   FROM matchloop_append_choices($1::bigint, $2::bigint, $3::jsonb, $4::timestamptz)`,
);
