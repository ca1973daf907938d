import { type Candidate, FACTORS, type FactorWeights, type StartSessionRequest } from '@matchloop/schemas';
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
 * What a stored session showed, which never changes: whose it is, the segment it was ranked for, and its
 * options in presented order, their manufacturers and factor scores. It is what recording an interaction
 * checks, and all that recording a choice needs of the session besides what the log holds. A server
 * remembers thousands of these, one more with every session it opens, so the manufacturers are held as one
 * string and the scores as one array, as the choice log stores them: a few objects a session, not dozens,
 * for the young generation's collections to copy and the old generation's to trace. The manufacturers are
 * joined by NUL, which no stored text holds.
 */
export class ShownSession {
  readonly #manufacturers: string;

  constructor(
    readonly customerId: string,
    readonly segment: Segment,
    manufacturerIds: readonly string[],
    /** The options' factor scores, option after option in presented order, factors in `FACTORS` order. */
    readonly shownFactors: Float64Array,
  ) {
    this.#manufacturers = ['', ...manufacturerIds, ''].join(SEPARATOR);
  }

  showed(manufacturerId: string): boolean {
    return this.rankOf(manufacturerId) !== null;
  }

  /** The rank the manufacturer was shown at, 1 for the first option; null when the session did not show it. */
  rankOf(manufacturerId: string): number | null {
    if (manufacturerId.includes(SEPARATOR)) return null;
    const at = this.#manufacturers.indexOf(`${SEPARATOR}${manufacturerId}${SEPARATOR}`);
    if (at < 0) return null;
    let rank = 1;
    for (let index = 0; index < at; index++) if (this.#manufacturers[index] === SEPARATOR) rank += 1;
    return rank;
  }
}

const SEPARATOR = '\0';

/** The sessions among these ids, in one query, however many are asked for. */
export async function findShownSessions(
  statements: PreparedStatements,
  ids: readonly string[],
): Promise<Map<string, ShownSession>> {
  const rows = await statements.run(FIND_SHOWN_SESSIONS, [[...ids]]);
  return new Map(rows.map((row) => [row.id, shownSession(row)]));
}

/** What `SHOWN_SESSION_COLUMNS` select of a session. */
export interface ShownSessionRow {
  readonly customerId: string;
  readonly segment: Segment;
  /** Null for a session that showed nothing. */
  readonly manufacturerIds: string[] | null;
  readonly factorScores: number[][] | null;
}

export function shownSession(row: ShownSessionRow): ShownSession {
  return new ShownSession(
    row.customerId,
    row.segment,
    row.manufacturerIds ?? [],
    Float64Array.from((row.factorScores ?? []).flat()),
  );
}

/** A stored session `s` as `ShownSessionRow`; `SHOWN_SESSION_JOIN` must follow its table in the query. */
export const SHOWN_SESSION_COLUMNS = `s."customerId", s.segment::text AS segment, shown."manufacturerIds",
  shown."factorScores"`;
export const SHOWN_SESSION_JOIN = `LEFT JOIN LATERAL (
    SELECT json_agg(r."manufacturerId" ORDER BY r.rank) AS "manufacturerIds",
           json_agg(json_build_array(${FACTORS.map((factor) => `r.${factor}`).join(', ')}) ORDER BY r.rank)
             AS "factorScores"
    FROM "MatchingRecommendation" r WHERE r."sessionId" = s.id
  ) shown ON true`;

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
const FIND_SHOWN_SESSIONS = preparedStatement<[ids: string[]], { id: string } & ShownSessionRow>(
  'find-shown-sessions',
  `SELECT s.id::text AS id, ${SHOWN_SESSION_COLUMNS}
   FROM "MatchingFeedbackSession" s
   ${SHOWN_SESSION_JOIN}
   WHERE s.id = ANY($1::uuid[])`,
);
