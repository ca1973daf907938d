import type { Factor, FactorScores } from '@matchloop/schemas';
import type { Prisma } from '../generated/prisma/client';
import type { Segment } from '../generated/prisma/enums';
import { encodeShownFactors } from './choice-log';

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
 * where the choice log ends. Read under the log's lock, what it says of the sessions' choices and of
 * their customers' stays true until the transaction ends, and the log can be caught up with without
 * asking again.
 */
export async function findChoosableSessions(
  prisma: Prisma.TransactionClient,
  ids: readonly string[],
): Promise<{ sessions: Map<string, ChoosableSession>; logEnd: bigint }> {
  // One row even when no session is found, to carry where the log ends: a missing session's id is null.
  const rows = await prisma.$queryRaw<({ logEnd: bigint } & (ChoosableSession | { id: null }))[]>`
    SELECT log."end" AS "logEnd", s.id::text AS id, s."customerId", s.segment::text AS segment,
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
    LEFT JOIN "MatchingFeedbackSession" s ON s.id = ANY(${[...ids]}::uuid[])
    LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id`;
  const sessions = new Map<string, ChoosableSession>();
  for (const { logEnd, ...session } of rows) if (session.id !== null) sessions.set(session.id, session);
  return { sessions, logEnd: rows[0]?.logEnd ?? 0n };
}

/**
 * Appends the choices to the log, in the order given, and closes their sessions, in ONE statement (a
 * CTE); returns them with the sequence each was logged at. The sessions must exist, be distinct and have
 * no choice yet. Stamped by the server's clock, as Prisma's own writes are.
 */
export async function insertChoices(
  prisma: Prisma.TransactionClient,
  choices: readonly NewChoice[],
): Promise<(NewChoice & { sequence: bigint })[]> {
  const rows = choices.map((choice, position) => ({
    ...choice,
    position,
    reasoning: choice.reasoning ?? null,
    importantFactors: choice.importantFactors ?? [],
    satisfaction: choice.satisfaction ?? null,
    decisionTimeSeconds: choice.decisionTimeSeconds ?? null,
    shownFactors: Buffer.from(encodeShownFactors(choice.shownFactors)).toString('base64'),
  }));
  const logged = await prisma.$queryRaw<{ sessionId: string; sequence: bigint }[]>`
    WITH choice AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c(
        position int, "sessionId" uuid, "customerId" text, segment text, "chosenManufacturerId" text,
        "chosenRank" int, reasoning text, "importantFactors" text[], satisfaction int,
        "decisionTimeSeconds" float8, "learnedWeightsVersion" int, "learnedSampleSize" int,
        "learnedConfidence" float8, "customerChoiceNumber" int, "shownFactors" text, "requestHash" text)
    ), closed AS (
      UPDATE "MatchingFeedbackSession" s
      SET status = (CASE WHEN c."chosenRank" IS NULL THEN 'none_chosen' ELSE 'chosen' END)::"SessionStatus"
      FROM choice c
      WHERE s.id = c."sessionId"
    )
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenManufacturerId", "chosenRank", reasoning,
       "importantFactors", satisfaction, "decisionTimeSeconds", "learnedWeightsVersion", "learnedSampleSize",
       "learnedConfidence", "customerChoiceNumber", "shownFactors", "requestHash", "createdAt")
    SELECT c."sessionId", c."customerId", c.segment::"Segment", c."chosenManufacturerId", c."chosenRank",
           c.reasoning, c."importantFactors", c.satisfaction, c."decisionTimeSeconds",
           c."learnedWeightsVersion", c."learnedSampleSize", c."learnedConfidence", c."customerChoiceNumber",
           decode(c."shownFactors", 'base64'), c."requestHash", ${new Date()}::timestamptz
    FROM choice c
    ORDER BY c.position
    RETURNING "sessionId"::text AS "sessionId", sequence`;
  const sequenceOf = new Map(logged.map((row) => [row.sessionId, row.sequence]));
  return choices.map((choice) => {
    const sequence = sequenceOf.get(choice.sessionId.toLowerCase());
    if (sequence === undefined) throw new Error(`the choice in session ${choice.sessionId} was not logged`);
    return { ...choice, sequence };
  });
}
