import type { Candidate, Explanation, FactorWeights, StartSessionRequest } from '@matchloop/schemas';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Segment, SegmentSource, SessionStatus, WeightsSource } from '../generated/prisma/enums';

export interface NewRecommendation extends Candidate {
  rank: number;
  score: number;
  predictedChoiceProbability: number;
  explanation: Explanation;
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

/** A session with what it showed and its choice, if any: what every reader of a session needs, in one query. */
const withRecommendations = {
  include: { recommendations: { orderBy: { rank: 'asc' } }, choice: true },
} as const satisfies Prisma.MatchingFeedbackSessionDefaultArgs;

export type StoredSession = Prisma.MatchingFeedbackSessionGetPayload<typeof withRecommendations>;
export type StoredRecommendation = StoredSession['recommendations'][number];

/**
 * Writes a session and everything shown in it in ONE statement (a CTE), so a session is never
 * half-stored and starting one costs a single round trip. The caller already holds everything the
 * answer needs, so nothing is read back. A session id that exists fails as a unique violation. Like
 * Prisma's own writes, it is stamped by the server's clock, not the database's.
 */
export async function insertSession(prisma: PrismaClient, session: NewSession): Promise<void> {
  const { request, weights } = session;
  const recommendations = session.recommendations.map((recommendation) => ({
    manufacturerId: recommendation.manufacturerId,
    rank: recommendation.rank,
    score: recommendation.score,
    predictedChoiceProbability: recommendation.predictedChoiceProbability,
    explanation: recommendation.explanation,
    ...recommendation.factors,
  }));
  await prisma.$executeRaw`
    WITH session AS (
      INSERT INTO "MatchingFeedbackSession"
        (id, "customerId", segment, "segmentSource", complexity, "complexityScore", preferences,
         "algorithmVersion", "weightsVersion", "weightsSource", "weightsConfidence", weights, "order",
         metadata, "requestHash", "createdAt")
      VALUES
        (${session.id}::uuid, ${request.customerId}, ${session.segment}::"Segment",
         ${session.segmentSource}::"SegmentSource", ${request.project?.complexity ?? null}::"Complexity",
         ${request.project?.complexityScore ?? null}::float8, ${jsonOrNull(request.preferences)}::jsonb,
         ${request.algorithmVersion ?? null}, ${weights.version}, ${weights.source}::"WeightsSource",
         ${weights.confidence}, ${JSON.stringify(weights.values)}::jsonb, ${request.order},
         ${jsonOrNull(request.metadata)}::jsonb, ${session.requestHash}, ${new Date()}::timestamptz)
      RETURNING id
    )
    INSERT INTO "MatchingRecommendation"
      (id, "sessionId", "manufacturerId", rank, score, "predictedChoiceProbability", cost, quality, speed,
       proximity, capability, reliability, explanation)
    SELECT gen_random_uuid(), session.id, r."manufacturerId", r.rank, r.score, r."predictedChoiceProbability",
           r.cost, r.quality, r.speed, r.proximity, r.capability, r.reliability, r.explanation
    FROM session, jsonb_to_recordset(${JSON.stringify(recommendations)}::jsonb) AS r(
      "manufacturerId" text, rank int, score float8, "predictedChoiceProbability" float8, cost float8,
      quality float8, speed float8, proximity float8, capability float8, reliability float8, explanation jsonb)`;
}

function jsonOrNull(value: object | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function findSession(prisma: PrismaClient, id: string): Promise<StoredSession | null> {
  return prisma.matchingFeedbackSession.findUnique({ where: { id }, ...withRecommendations });
}

/** A session as recording an interaction needs it: whose it is and which manufacturers it showed. */
export interface ShownSession {
  readonly customerId: string;
  readonly manufacturerIds: ReadonlySet<string>;
}

/** The sessions among these ids, in one query, however many are asked for. */
export async function findShownSessions(
  prisma: PrismaClient,
  ids: readonly string[],
): Promise<Map<string, ShownSession>> {
  const rows = await prisma.$queryRaw<{ id: string; customerId: string; manufacturerIds: string[] }[]>`
    SELECT s.id::text AS id, s."customerId", array_agg(r."manufacturerId") AS "manufacturerIds"
    FROM "MatchingFeedbackSession" s JOIN "MatchingRecommendation" r ON r."sessionId" = s.id
    WHERE s.id = ANY(${[...ids]}::uuid[])
    GROUP BY s.id`;
  return new Map(
    rows.map((row) => [
      row.id,
      { customerId: row.customerId, manufacturerIds: new Set(row.manufacturerIds) },
    ]),
  );
}

export async function setSessionStatus(
  prisma: Prisma.TransactionClient,
  id: string,
  status: SessionStatus,
): Promise<void> {
  await prisma.matchingFeedbackSession.update({ where: { id }, data: { status } });
}
