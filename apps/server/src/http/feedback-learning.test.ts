import { testDatabaseKinds } from '@matchloop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATES, NO_OUTCOMES, sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

describe.each(testDatabaseKinds())('a customer’s session through the SDK, on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  it('ranks the candidates with the segment’s default weights and explains each rank', async () => {
    const matchloop = server.client(await server.createKey(['ingest']));
    const session = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());

    expect(session.segment).toBe('price_sensitive');
    expect(session.segmentSource).toBe('rules');
    expect(session.weights).toMatchObject({ version: 0, source: 'default', confidence: 0 });
    expect(session.recommendations.map((r) => r.manufacturerId)).toEqual([
      'acme-cheap',
      'precision-works',
      'rapid-fab',
    ]);
    expect(session.recommendations.map((r) => r.rank)).toEqual([1, 2, 3]);
    const scores = session.recommendations.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const recommendation of session.recommendations) {
      expect(recommendation.predictedChoiceProbability).toBeGreaterThan(0);
      expect(recommendation.predictedChoiceProbability).toBeLessThan(1);
      expect(recommendation.explanation.summary).toMatch(new RegExp(`^Ranked #${recommendation.rank}`));
      const contributions = Object.values(recommendation.explanation.contributions).reduce(
        (a, b) => a + b,
        0,
      );
      expect(contributions).toBeCloseTo(recommendation.score, 12);
    }
    expect(session.recommendations[0]?.explanation.topFactors[0]).toBe('cost');
  });

  it('keeps the caller’s order when the list was already shown as given', async () => {
    const matchloop = server.client();
    const reversed = [...CANDIDATES].reverse();
    const session = await matchloop.feedbackLearning.startSession.mutate(
      sessionRequest({ candidates: reversed, order: 'as_given' }),
    );
    expect(session.recommendations.map((r) => r.manufacturerId)).toEqual(
      reversed.map((c) => c.manufacturerId),
    );
  });

  it('records interactions and the choice, and analytics reflects them', async () => {
    const ingest = server.client(await server.createKey(['ingest']));
    const admin = server.client();
    const before = await admin.feedbackLearning.analytics.query({ segment: 'quality_focused' });

    const session = await ingest.feedbackLearning.startSession.mutate(
      sessionRequest({
        customerId: 'customer-analytics',
        preferences: { qualityRequirement: 0.95, budgetSensitivity: 0.8 },
        project: { complexity: 'complex' },
      }),
    );
    expect(session.segment).toBe('quality_focused');
    const second = session.recommendations[1];
    if (!second) throw new Error('expected three recommendations');

    const viewed = await ingest.feedbackLearning.recordInteraction.mutate({
      sessionId: session.sessionId,
      manufacturerId: second.manufacturerId,
      interactionType: 'expanded',
      timeSpentSeconds: 42,
      viewedExplanationLevel: 'factors',
      expandedSections: ['certifications'],
      helpfulRating: 4,
    });
    expect(viewed.sessionId).toBe(session.sessionId);
    expect(viewed.recordedAt).toBeInstanceOf(Date);

    const choice = await ingest.feedbackLearning.recordChoice.mutate({
      sessionId: session.sessionId,
      chosenManufacturerId: second.manufacturerId,
      reasoning: 'Their certifications matched our audit requirements',
      importantFactors: ['quality', 'reliability'],
      satisfaction: 4,
      decisionTimeSeconds: 300,
    });
    expect(choice.chosenRank).toBe(2);
    expect(choice.learning).toMatchObject({ segment: 'quality_focused', sampleSize: 1 });
    expect(choice.learning.weightsVersion).toBeGreaterThan(0);

    const noneSession = await ingest.feedbackLearning.startSession.mutate(
      sessionRequest({
        customerId: 'customer-walks-away',
        preferences: { qualityRequirement: 0.95, budgetSensitivity: 0.8 },
      }),
    );
    const none = await ingest.feedbackLearning.recordChoice.mutate({
      sessionId: noneSession.sessionId,
      chosenManufacturerId: null,
      satisfaction: 2,
    });
    expect(none.chosenRank).toBeNull();

    const after = await admin.feedbackLearning.analytics.query({ segment: 'quality_focused' });
    expect(after.overall.sessions - before.overall.sessions).toBe(2);
    expect(after.overall.choices - before.overall.choices).toBe(1);
    expect(before.overall.sessions).toBe(0);
    expect(after.overall).toEqual({
      sessions: 2,
      choices: 1,
      conversionRate: 0.5,
      averageChosenRank: 2,
      chosenRankDistribution: [{ rank: 2, choices: 1 }],
      averageSatisfaction: 3,
      averageDecisionTimeSeconds: 300,
      averageHelpfulRating: 4,
      interactionsPerSession: { viewed: 0, expanded: 0.5, compared: 0, contacted: 0 },
    });
    expect(after.bySegment).toEqual([
      expect.objectContaining({ segment: 'quality_focused', sessions: 2, choices: 1, sampleSize: 2 }),
    ]);
    expect(after.byComplexity.find((row) => row.complexity === 'complex')).toMatchObject({
      sessions: 1,
      choices: 1,
    });
    expect(after.byComplexity.find((row) => row.complexity === 'moderate')).toMatchObject({
      sessions: 1,
      choices: 0,
    });
  });

  it('narrows analytics to a time window, and reports an empty window as empty', async () => {
    const admin = server.client();
    const future = await admin.feedbackLearning.analytics.query({ from: new Date(Date.now() + 86_400_000) });
    expect(future.overall).toEqual(NO_OUTCOMES);
    expect(future.bySegment).toHaveLength(6);
    const all = await admin.feedbackLearning.analytics.query({ to: new Date(Date.now() + 86_400_000) });
    expect(all.overall.sessions).toBeGreaterThanOrEqual(4);
  });

  it('serves weights to a key with the read scope', async () => {
    const reader = server.client(await server.createKey(['read']));
    const weights = await reader.feedbackLearning.weights.query({ segment: 'speed_priority' });
    expect(weights).toMatchObject({ segment: 'speed_priority', source: 'default', sampleSize: 0 });
    expect(weights.values).toEqual(weights.defaults);
    const sum = Object.values(weights.values).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    expect(weights.values.speed).toBe(Math.max(...Object.values(weights.values)));
  });

  it('handles a burst of calls made in the same tick, as a busy frontend makes them', async () => {
    const matchloop = server.client();
    const sessions = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        matchloop.feedbackLearning.startSession.mutate(sessionRequest({ customerId: `burst-${i}` })),
      ),
    );
    expect(new Set(sessions.map((session) => session.sessionId)).size).toBe(120);
  });

  it('answers health without a key, after a real database round trip', async () => {
    const anonymous = server.client('');
    const health = await anonymous.feedbackLearning.health.query();
    expect(health.status).toBe('ok');
    expect(health.database.kind).toBe(kind);
  });
});
