import type { Factor, FactorScores } from '@matchloop/schemas';
import type { Segment } from '../generated/prisma/enums';
import { type PreparedStatements, preparedStatement } from '../prepared-statements';
import { CHOICE_LOG_LOCK, encodeShownFactors } from './choice-log';

/** A logged choice as a retry of it is answered, with the fingerprint that tells a retry from a conflict. */
export interface RecordedChoice {
  readonly chosenManufacturerId: string | null;
  readonly chosenRank: number | null;
  readonly learnedWeightsVersion: number;
  readonly learnedSampleSize: number;
  readonly learnedConfidence: number;
  readonly requestHash: string;
}

/** One option a session showed, with the factor scores it was ranked on. */
export interface ShownOption extends FactorScores {
  readonly manufacturerId: string;
  readonly rank: number;
}

/** A session as recording its choice needs it. */
export interface ChoosableSession {
  readonly id: string;
  readonly customerId: string;
  readonly segment: Segment;
  /** In presented order. */
  readonly recommendations: readonly ShownOption[];
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
 * The sessions among these ids, keyed by id in lower case, in one query however many are asked for, and
 * where the choice log ends. What it says of the sessions' choices and of their customers' holds for as
 * long as the log still ends there: `appendChoices` checks that under the log's lock before it writes.
 */
export async function findChoosableSessions(
  statements: PreparedStatements,
  ids: readonly string[],
): Promise<{ sessions: Map<string, ChoosableSession>; logEnd: bigint }> {
  const rows = await statements.run(FIND_CHOOSABLE_SESSIONS, [[...ids]]);
  const sessions = new Map<string, ChoosableSession>();
  for (const { logEnd, ...session } of rows) if (session.id !== null) sessions.set(session.id, session);
  return { sessions, logEnd: BigInt(rows[0]?.logEnd ?? 0) };
}

/** One row even when no session is found, to carry where the log ends: a missing session's id is null. */
const FIND_CHOOSABLE_SESSIONS = preparedStatement<
  [ids: string[]],
  { logEnd: string } & (ChoosableSession | { id: null })
>(
  'find-choosable-sessions',
  `SELECT log."end"::text AS "logEnd", s.id::text AS id, s."customerId", s.segment::text AS segment,
          (SELECT json_agg(json_build_object('manufacturerId', r."manufacturerId", 'rank', r.rank,
                                             'cost', r.cost, 'quality', r.quality, 'speed', r.speed,
                                             'proximity', r.proximity, 'capability', r.capability,
                                             'reliability', r.reliability) ORDER BY r.rank)
           FROM "MatchingRecommendation" r WHERE r."sessionId" = s.id) AS recommendations,
          CASE WHEN c."sessionId" IS NOT NULL THEN
            json_build_object('chosenManufacturerId', c."chosenManufacturerId", 'chosenRank', c."chosenRank",
                              'learnedWeightsVersion', c."learnedWeightsVersion",
                              'learnedSampleSize', c."learnedSampleSize",
                              'learnedConfidence', c."learnedConfidence", 'requestHash', c."requestHash")
          END AS choice,
          (SELECT count(*)::int FROM "CustomerChoice" e WHERE e."customerId" = s."customerId")
            AS "customerChoices"
   FROM (SELECT coalesce(max(sequence), 0) AS "end" FROM "CustomerChoice") log
   LEFT JOIN "MatchingFeedbackSession" s ON s.id = ANY($1::uuid[])
   LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id`,
);

/**
 * Appends the choices to the log, in the order given, and closes their sessions, in ONE statement, if the
 * log still ends at `expectedLogEnd` once its lock is held; returns them with the sequence each was logged
 * at, or null, having written nothing, if another choice was logged since. The sessions must exist, be
 * distinct and have had no choice when the log ended there. Stamped by the server's clock, as Prisma's own
 * writes are.
 */
export async function appendChoices(
  statements: PreparedStatements,
  expectedLogEnd: bigint,
  choices: readonly NewChoice[],
): Promise<(NewChoice & { sequence: bigint })[] | null> {
  const rows = choices.map((choice, position) => ({
    ...choice,
    position,
    reasoning: choice.reasoning ?? null,
    importantFactors: choice.importantFactors ?? [],
    satisfaction: choice.satisfaction ?? null,
    decisionTimeSeconds: choice.decisionTimeSeconds ?? null,
    shownFactors: Buffer.from(encodeShownFactors(choice.shownFactors)).toString('base64'),
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
    return { ...choice, sequence };
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
