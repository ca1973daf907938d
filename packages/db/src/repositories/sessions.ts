import type { Candidate, FactorWeights, StartSessionRequest } from '@matchloop/schemas';
import type { MatchingRecommendation, Prisma, PrismaClient } from '../generated/prisma/client';
import type { Segment, SegmentSource, WeightsSource } from '../generated/prisma/enums';
import { type PreparedStatements, preparedStatement } from '../prepared-statements';

export interface NewRecommendation extends Candidate {
  rank: number;
  score: number;
  predictedChoiceProbability: number;
}

export interface NewSession {
  id: string;
  request: StartSessionRequest;
  requestHash: string;
  segment: Segment;
  segmentSource: SegmentSource;
  weights: { version: number; source: WeightsSource; confidence: number; values: FactorWeights };
  recommendations: NewRecommendation[];
}

const withChoice = { include: { choice: true } } as const satisfies Prisma.MatchingFeedbackSessionDefaultArgs;

/** A session with what it showed, in rank order, and its choice, if any. */
export type StoredSession = Prisma.MatchingFeedbackSessionGetPayload<typeof withChoice> & {
  recommendations: MatchingRecommendation[];
};

/**
 * Writes sessions and everything shown in them in ONE statement (a CTE), so that a session is never
 * half-stored and any number of them cost a single round trip. The caller already holds everything the
 * answers need, so nothing is read back but which ids were new: a session whose id is already stored is
 * left as it is, for the caller to look up. Ids must be distinct. Like Prisma's own writes, sessions are
 * stamped by the server's clock, not the database's.
 */
export async function insertSessions(
  statements: PreparedStatements,
  sessions: readonly NewSession[],
): Promise<Set<string>> {
  const createdAt = new Date();
  const rows = sessions.map(({ id, request, requestHash, segment, segmentSource, weights }) => ({
    id,
    customerId: request.customerId,
    segment,
    segmentSource,
    complexity: request.project?.complexity ?? null,
    complexityScore: request.project?.complexityScore ?? null,
    preferences: request.preferences ?? null,
    algorithmVersion: request.algorithmVersion ?? null,
    weightsVersion: weights.version,
    weightsSource: weights.source,
    weightsConfidence: weights.confidence,
    weights: weights.values,
    order: request.order,
    metadata: request.metadata ?? null,
    requestHash,
  }));
  const recommendations = sessions.flatMap(({ id, recommendations }) =>
    recommendations.map((recommendation) => ({
      sessionId: id,
      manufacturerId: recommendation.manufacturerId,
      rank: recommendation.rank,
      score: recommendation.score,
      predictedChoiceProbability: recommendation.predictedChoiceProbability,
      ...recommendation.factors,
    })),
  );
  const inserted = await statements.run(INSERT_SESSIONS, [
    createdAt.toISOString(),
    JSON.stringify(rows),
    JSON.stringify(recommendations),
  ]);
  return new Set(inserted.map(({ id }) => id));
}

/**
 * Read after the session itself: a session and its recommendations are stored together, so once the session
 * is seen, all it showed is there to read.
 */
export async function findSession(prisma: PrismaClient, id: string): Promise<StoredSession | null> {
  const session = await prisma.matchingFeedbackSession.findUnique({ where: { id }, ...withChoice });
  if (!session) return null;
  const recommendations = await prisma.matchingRecommendation.findMany({
    where: { sessionId: id },
    orderBy: { rank: 'asc' },
  });
  return { ...session, recommendations };
}

/**
 * A session as recording an interaction needs it: whose it is and which manufacturers it showed. A server
 * remembers thousands of these, one more with every session it opens, so the manufacturers are held as one
 * string rather than a set of strings: two objects a session, not a dozen, for the young generation's
 * collections to copy and the old generation's to trace. They are joined by NUL, which no stored text holds.
 */
export class ShownSession {
  readonly #manufacturers: string;

  constructor(
    readonly customerId: string,
    manufacturerIds: readonly string[],
  ) {
    this.#manufacturers = ['', ...manufacturerIds, ''].join(SEPARATOR);
  }

  showed(manufacturerId: string): boolean {
    return (
      !manufacturerId.includes(SEPARATOR) &&
      this.#manufacturers.includes(`${SEPARATOR}${manufacturerId}${SEPARATOR}`)
    );
  }
}

const SEPARATOR = '\0';

/** The sessions among these ids, in one query, however many are asked for. */
export async function findShownSessions(
  statements: PreparedStatements,
  ids: readonly string[],
): Promise<Map<string, ShownSession>> {
  const rows = await statements.run(FIND_SHOWN_SESSIONS, [[...ids]]);
  return new Map(rows.map((row) => [row.id, new ShownSession(row.customerId, row.manufacturerIds)]));
}

/**
 * The recommendations travel as json, not jsonb: ten a session, their factor scores and scores are most of
 * the statement, and json hands each number to float8 as written rather than parsing it into a numeric first.
 */
const INSERT_SESSIONS = preparedStatement<
  [createdAt: string, sessions: string, recommendations: string],
  { id: string }
>(
  'insert-sessions',
  `WITH session AS (
     INSERT INTO "MatchingFeedbackSession"
       (id, "customerId", segment, "segmentSource", complexity, "complexityScore", preferences,
        "algorithmVersion", "weightsVersion", "weightsSource", "weightsConfidence", weights, "order",
        metadata, "requestHash", "createdAt")
     SELECT s.id, s."customerId", s.segment::"Segment", s."segmentSource"::"SegmentSource",
            s.complexity::"Complexity", s."complexityScore", s.preferences, s."algorithmVersion",
            s."weightsVersion", s."weightsSource"::"WeightsSource", s."weightsConfidence", s.weights, s."order",
            s.metadata, s."requestHash", $1::timestamptz
     FROM jsonb_to_recordset($2::jsonb) AS s(
       id uuid, "customerId" text, segment text, "segmentSource" text, complexity text,
       "complexityScore" float8, preferences jsonb, "algorithmVersion" text, "weightsVersion" int,
       "weightsSource" text, "weightsConfidence" float8, weights jsonb, "order" text, metadata jsonb,
       "requestHash" text)
     ON CONFLICT (id) DO NOTHING
     RETURNING id
   ), recommendation AS (
     INSERT INTO "MatchingRecommendation"
       ("sessionId", "manufacturerId", rank, score, "predictedChoiceProbability", cost, quality, speed,
        proximity, capability, reliability)
     SELECT r."sessionId", r."manufacturerId", r.rank, r.score, r."predictedChoiceProbability",
            r.cost, r.quality, r.speed, r.proximity, r.capability, r.reliability
     FROM json_to_recordset($3::json) AS r(
       "sessionId" uuid, "manufacturerId" text, rank int, score float8, "predictedChoiceProbability" float8,
       cost float8, quality float8, speed float8, proximity float8, capability float8, reliability float8)
     JOIN session ON session.id = r."sessionId"
   )
   SELECT id::text AS id FROM session`,
);

/** The manufacturers come back as JSON, which the driver parses natively, not as an array it parses in JS. */
const FIND_SHOWN_SESSIONS = preparedStatement<
  [ids: string[]],
  { id: string; customerId: string; manufacturerIds: string[] }
>(
  'find-shown-sessions',
  `SELECT s.id::text AS id, s."customerId", json_agg(r."manufacturerId") AS "manufacturerIds"
   FROM "MatchingFeedbackSession" s JOIN "MatchingRecommendation" r ON r."sessionId" = s.id
   WHERE s.id = ANY($1::uuid[])
   GROUP BY s.id`,
);
