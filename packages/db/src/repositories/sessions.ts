import type {
  Candidate,
  Explanation,
  FactorWeights,
  Preferences,
  StartSessionRequest,
} from '@matchloop/schemas';
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

const withRecommendations = {
  include: { recommendations: { orderBy: { rank: 'asc' } } },
} as const satisfies Prisma.MatchingFeedbackSessionDefaultArgs;

export type StoredSession = Prisma.MatchingFeedbackSessionGetPayload<typeof withRecommendations>;
export type StoredRecommendation = StoredSession['recommendations'][number];

/** Writes a session and everything shown in it as one statement, so a session is never half-stored. */
export async function insertSession(prisma: PrismaClient, session: NewSession): Promise<StoredSession> {
  const { request } = session;
  return prisma.matchingFeedbackSession.create({
    data: {
      id: session.id,
      customerId: request.customerId,
      segment: session.segment,
      segmentSource: session.segmentSource,
      complexity: request.project?.complexity ?? null,
      complexityScore: request.project?.complexityScore ?? null,
      preferences: (request.preferences ?? undefined) satisfies Preferences | undefined,
      algorithmVersion: request.algorithmVersion ?? null,
      weightsVersion: session.weights.version,
      weightsSource: session.weights.source,
      weightsConfidence: session.weights.confidence,
      weights: session.weights.values,
      order: request.order,
      metadata: request.metadata ?? undefined,
      requestHash: session.requestHash,
      recommendations: {
        createMany: {
          data: session.recommendations.map((recommendation) => ({
            manufacturerId: recommendation.manufacturerId,
            rank: recommendation.rank,
            score: recommendation.score,
            predictedChoiceProbability: recommendation.predictedChoiceProbability,
            explanation: recommendation.explanation,
            ...recommendation.factors,
          })),
        },
      },
    },
    ...withRecommendations,
  });
}

export function findSession(prisma: PrismaClient, id: string): Promise<StoredSession | null> {
  return prisma.matchingFeedbackSession.findUnique({ where: { id }, ...withRecommendations });
}

export async function setSessionStatus(
  prisma: Prisma.TransactionClient,
  id: string,
  status: SessionStatus,
): Promise<void> {
  await prisma.matchingFeedbackSession.update({ where: { id }, data: { status } });
}
