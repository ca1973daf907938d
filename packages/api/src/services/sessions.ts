import {
  findSession,
  insertSessions,
  type LoggedChoice,
  type NewRecommendation,
  type NewSession,
  ShownSession,
  type StoredSession,
  toShownFactors,
} from '@matchloop/db';
import { explain, rankCandidates, scoreCandidate } from '@matchloop/learning';
import type { Explanation, FactorWeights, StartSessionOutput, StartSessionRequest } from '@matchloop/schemas';
import { newRecordId } from '@matchloop/schemas/ids';
import type { ServiceDependencies } from '.';
import { idReusedForDifferentRequest } from './errors';
import { RequestFingerprint } from './fingerprint';
import type { RecentChoices } from './recent-choices';
import { type RoundItem, Rounds } from './rounds';
import type { ShownSessions } from './shown-sessions';

/** Every concurrent start a busy server has, in one round: each adds some 3 KB to the round's statement. */
const MAX_SESSIONS_PER_ROUND = 100;
/**
 * Sessions are stored independently of one another, so one round is ranked while another is written. A copy
 * of a session in the round beside the one storing it waits on that write, then finds it stored.
 */
const MAX_CONCURRENT_ROUNDS = 2;

type PendingStart = RoundItem<NewStart, StartSessionOutput>;

/**
 * A session as just ranked: what is stored, and each recommendation's explanation, which is given to the
 * caller but not stored: it is rebuilt from the factor scores, rank and session when read.
 */
interface RankedSession extends NewSession {
  recommendations: (NewRecommendation & { explanation: Explanation })[];
}

interface NewStart {
  readonly sessionId: string;
  readonly request: StartSessionRequest;
  readonly fingerprint: RequestFingerprint;
}

/**
 * Opens sessions in rounds: the starts that arrive together are segmented with one read of their customers'
 * recent choices and written with one statement, rather than two round trips each. Each caller still gets
 * its own answer, and a retried or concurrent copy of a stored session the answer it was first given.
 */
export class SessionStarter {
  private readonly rounds = new Rounds<NewStart, StartSessionOutput>(
    (round) => this.open(round),
    MAX_SESSIONS_PER_ROUND,
    MAX_CONCURRENT_ROUNDS,
  );

  constructor(
    private readonly deps: ServiceDependencies,
    private readonly shownSessions: ShownSessions,
    private readonly recentChoices: RecentChoices,
  ) {}

  start(request: StartSessionRequest): Promise<StartSessionOutput> {
    const { sessionId, ...content } = request;
    return this.rounds.submit({
      sessionId: sessionId ?? newRecordId(),
      request,
      fingerprint: new RequestFingerprint(content),
    });
  }

  private async open(round: readonly PendingStart[]): Promise<void> {
    const { prisma, statements } = this.deps.database;
    // One catch-up serves both the segment models and the weights, so neither lags other servers' choices.
    await this.deps.learning.refresh(prisma);
    const recentChoices = await this.recentChoices.of(statements, [
      ...new Set(round.map(({ input }) => input.request.customerId)),
    ]);
    // The first copy of an id is written; any other in the round is answered once it is stored.
    const firstCopies = new Map<string, { item: PendingStart; session: RankedSession }>();
    for (const item of round) {
      const key = item.input.sessionId.toLowerCase();
      if (firstCopies.has(key)) continue;
      const choices = recentChoices.get(item.input.request.customerId) ?? [];
      firstCopies.set(key, { item, session: this.ranked(item.input, choices) });
    }
    const sessions = [...firstCopies.values()];
    const inserted = await insertSessions(
      statements,
      sessions.map(({ session }) => session),
    );
    const answered = new Set<PendingStart>();
    for (const { item, session } of sessions) {
      if (!inserted.has(session.id.toLowerCase())) continue;
      this.shownSessions.remember(
        session.id,
        new ShownSession(
          session.request.customerId,
          session.segment,
          session.recommendations.map(({ manufacturerId }) => manufacturerId),
          toShownFactors(session.recommendations.map(({ factors }) => factors)),
        ),
      );
      this.deps.metrics.eventsIngested.inc({ type: 'session' });
      item.resolve(sessionOutput(session));
      answered.add(item);
    }
    // Retries, and concurrent copies, of sessions already stored: answered as they were answered then.
    await Promise.all(
      round
        .filter((item) => !answered.has(item))
        .map(async (item) => {
          try {
            const stored = await findSession(prisma, item.input.sessionId);
            if (!stored) throw new Error(`session ${item.input.sessionId} was neither stored nor found`);
            item.resolve(replayed(stored, item.input.fingerprint));
          } catch (error) {
            item.reject(error);
          }
        }),
    );
  }

  /** The session as ranked now for this customer, by the weights of the segment their choices place them in. */
  private ranked(
    { sessionId, request, fingerprint }: NewStart,
    recentChoices: readonly LoggedChoice[],
  ): RankedSession {
    const { learning } = this.deps;
    const { segment, source: segmentSource } = learning.segmentFor(request.preferences, recentChoices);
    const weights = learning.serve(segment);
    const ranked =
      request.order === 'ranked'
        ? rankCandidates(request.candidates, weights.values)
        : request.candidates.map((candidate, index) => ({
            candidate,
            rank: index + 1,
            score: scoreCandidate(candidate.factors, weights.values),
          }));
    const probabilities = learning.predict(
      segment,
      ranked.map(({ candidate }) => candidate.factors),
    );
    // Built field by field: on Node 20, spreading the candidate and adding to the copy takes the engine's
    // slow path, some 2.5 µs a recommendation against 0.1.
    const recommendations = ranked.map(({ candidate, rank, score }, position) => ({
      manufacturerId: candidate.manufacturerId,
      factors: candidate.factors,
      rank,
      score,
      predictedChoiceProbability: probabilities[position] ?? 0,
      explanation: explain(candidate.factors, weights.values, { rank, segment }),
    }));
    return {
      id: sessionId,
      request,
      requestHash: fingerprint.digest,
      segment,
      segmentSource,
      weights,
      recommendations,
    };
  }
}

/** What the caller is told of a session, whether just opened or read back from storage. */
function sessionOutput({
  id,
  segment,
  segmentSource,
  weights: { version, source, confidence, values },
  recommendations,
}: Pick<NewSession, 'id' | 'segment' | 'segmentSource' | 'weights'> & {
  recommendations: readonly RecommendationOutput[];
}): StartSessionOutput {
  return {
    sessionId: id,
    segment,
    segmentSource,
    weights: { version, source, confidence, values },
    recommendations: recommendations.map(toRecommendationOutput),
  };
}

function replayed(session: StoredSession, fingerprint: RequestFingerprint): StartSessionOutput {
  if (!fingerprint.matches(session.requestHash)) throw idReusedForDifferentRequest('Session', session.id);
  const weights = session.weights as FactorWeights;
  return sessionOutput({
    ...session,
    weights: {
      version: session.weightsVersion,
      source: session.weightsSource,
      confidence: session.weightsConfidence,
      values: weights,
    },
    // Explained as when first given: the explanation is a function of what was stored.
    recommendations: session.recommendations.map((recommendation) => ({
      ...recommendation,
      explanation: explain(recommendation, weights, { rank: recommendation.rank, segment: session.segment }),
    })),
  });
}

type RecommendationOutput = StartSessionOutput['recommendations'][number];

/** What the caller is told of a recommendation, whether just ranked or read back from storage. */
function toRecommendationOutput({
  manufacturerId,
  rank,
  score,
  predictedChoiceProbability,
  explanation,
}: RecommendationOutput): RecommendationOutput {
  return { manufacturerId, rank, score, predictedChoiceProbability, explanation };
}
