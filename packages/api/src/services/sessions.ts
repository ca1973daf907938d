import { randomUUID } from 'node:crypto';
import {
  findSession,
  insertSession,
  isUniqueViolation,
  type NewRecommendation,
  recentCustomerChoices,
  type StoredSession,
} from '@matchloop/db';
import { explain, rankCandidates, scoreCandidate } from '@matchloop/learning';
import type { FactorScores, StartSessionOutput, StartSessionRequest } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import { idReusedForDifferentRequest } from './errors';
import { requestFingerprint } from './fingerprint';

/** A customer's latest choices say more about them now than their whole history does. */
const CHOICES_CONSIDERED_FOR_SEGMENTATION = 50;

export async function startSession(
  deps: ServiceDependencies,
  request: StartSessionRequest,
): Promise<StartSessionOutput> {
  const { sessionId: requestedId, ...content } = request;
  const requestHash = requestFingerprint(content);

  // One catch-up serves both the segment models and the weights, so neither lags other servers' choices.
  await deps.learning.refresh(deps.database.prisma);
  const recentChoices = await recentCustomerChoices(
    deps.database.prisma,
    request.customerId,
    CHOICES_CONSIDERED_FOR_SEGMENTATION,
  );
  const { segment, source: segmentSource } = deps.learning.segmentFor(request.preferences, recentChoices);

  const weights = deps.learning.serve(segment);
  const ranked =
    request.order === 'ranked'
      ? rankCandidates(request.candidates, weights.values)
      : request.candidates.map((candidate, index) => ({
          candidate,
          rank: index + 1,
          score: scoreCandidate(candidate.factors, weights.values),
        }));
  const probabilities = deps.learning.predict(
    segment,
    ranked.map(({ candidate }) => candidate.factors),
  );
  const recommendations: NewRecommendation[] = ranked.map(({ candidate, rank, score }, position) => ({
    ...candidate,
    rank,
    score,
    predictedChoiceProbability: probabilities[position] ?? 0,
    explanation: explain(candidate.factors, weights.values, { rank, segment }),
  }));

  const sessionId = requestedId ?? randomUUID();
  try {
    // Written first and looked up only if the id exists: retries are rare, and this saves every other
    // start a round trip.
    await insertSession(deps.database.prisma, {
      id: sessionId,
      request,
      requestHash,
      segment,
      segmentSource,
      weights,
      recommendations,
    });
    deps.metrics.eventsIngested.inc({ type: 'session' });
    return {
      sessionId,
      segment,
      segmentSource,
      weights: {
        version: weights.version,
        source: weights.source,
        confidence: weights.confidence,
        values: weights.values,
      },
      recommendations: recommendations.map(toRecommendationOutput),
    };
  } catch (error) {
    // A retry, or a concurrent copy, of a session already stored: answer as it was answered then.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findSession(deps.database.prisma, sessionId);
    if (!winner) throw error;
    return replayed(winner, requestHash);
  }
}

function replayed(session: StoredSession, requestHash: string): StartSessionOutput {
  if (session.requestHash !== requestHash) throw idReusedForDifferentRequest('Session', session.id);
  return toOutput(session);
}

function toOutput(session: StoredSession): StartSessionOutput {
  return {
    sessionId: session.id,
    segment: session.segment,
    segmentSource: session.segmentSource,
    weights: {
      version: session.weightsVersion,
      source: session.weightsSource,
      confidence: session.weightsConfidence,
      values: session.weights as FactorScores,
    },
    recommendations: session.recommendations.map(toRecommendationOutput),
  };
}

type RecommendationOutput = StartSessionOutput['recommendations'][number];

/** What the caller is told of a recommendation, whether just ranked or read back from storage. */
function toRecommendationOutput(
  recommendation: Omit<RecommendationOutput, 'explanation'> & { explanation: unknown },
): RecommendationOutput {
  const { manufacturerId, rank, score, predictedChoiceProbability, explanation } = recommendation;
  return {
    manufacturerId,
    rank,
    score,
    predictedChoiceProbability,
    explanation: explanation as RecommendationOutput['explanation'],
  };
}
