import { testDatabaseKinds } from '@matchloop/db/testing';
import type { AnalyticsOutput, Complexity, InteractionType, Preferences } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CANDIDATES, NO_OUTCOMES } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

type OutcomeFigures = AnalyticsOutput['overall'];

const PRICE_SENSITIVE: Preferences = { budgetSensitivity: 0.9 };
const QUALITY_FOCUSED: Preferences = { qualityRequirement: 0.95, budgetSensitivity: 0.8 };

interface SeededSession {
  at: string;
  preferences?: Preferences;
  complexity?: Complexity;
  interactions?: { type: InteractionType; helpfulRating?: number }[];
  /** The presented rank chosen, 'none', or absent for a session still open. */
  choice?: { rank: number | 'none'; satisfaction?: number; decisionTimeSeconds?: number };
}

/**
 * Five sessions over three UTC days, every figure below computed by hand from this table. Candidates are
 * shown as given, so a chosen rank is the candidate's position.
 */
const SESSIONS: SeededSession[] = [
  {
    at: '2026-03-01T10:00:00Z',
    preferences: PRICE_SENSITIVE,
    complexity: 'simple',
    interactions: [{ type: 'viewed', helpfulRating: 5 }, { type: 'compared' }],
    choice: { rank: 1, satisfaction: 5, decisionTimeSeconds: 100 },
  },
  {
    at: '2026-03-01T15:00:00Z',
    preferences: PRICE_SENSITIVE,
    complexity: 'moderate',
    interactions: [{ type: 'viewed', helpfulRating: 3 }],
    choice: { rank: 2, satisfaction: 3, decisionTimeSeconds: 200 },
  },
  {
    at: '2026-03-02T09:00:00Z',
    preferences: QUALITY_FOCUSED,
    complexity: 'complex',
    interactions: [{ type: 'expanded', helpfulRating: 4 }, { type: 'contacted' }],
    choice: { rank: 'none', satisfaction: 2, decisionTimeSeconds: 50 },
  },
  {
    at: '2026-03-02T18:00:00Z',
    preferences: QUALITY_FOCUSED,
    choice: { rank: 3, satisfaction: 4 },
  },
  { at: '2026-03-03T12:00:00Z', complexity: 'simple' },
];

/** Sessions 1–5. */
const OVERALL: OutcomeFigures = {
  sessions: 5,
  choices: 3,
  conversionRate: 0.6,
  averageChosenRank: 2,
  chosenRankDistribution: [
    { rank: 1, choices: 1 },
    { rank: 2, choices: 1 },
    { rank: 3, choices: 1 },
  ],
  averageSatisfaction: 3.5,
  averageDecisionTimeSeconds: 350 / 3,
  averageHelpfulRating: 4,
  interactionsPerSession: { viewed: 0.4, expanded: 0.2, compared: 0.2, contacted: 0.2 },
};

/** Sessions 1 and 2. */
const PRICE_SENSITIVE_FIGURES: OutcomeFigures = {
  sessions: 2,
  choices: 2,
  conversionRate: 1,
  averageChosenRank: 1.5,
  chosenRankDistribution: [
    { rank: 1, choices: 1 },
    { rank: 2, choices: 1 },
  ],
  averageSatisfaction: 4,
  averageDecisionTimeSeconds: 150,
  averageHelpfulRating: 4,
  interactionsPerSession: { viewed: 1, expanded: 0, compared: 0.5, contacted: 0 },
};

/** Sessions 3 and 4: also the whole of 2 March. */
const QUALITY_FOCUSED_FIGURES: OutcomeFigures = {
  sessions: 2,
  choices: 1,
  conversionRate: 0.5,
  averageChosenRank: 3,
  chosenRankDistribution: [{ rank: 3, choices: 1 }],
  averageSatisfaction: 3,
  averageDecisionTimeSeconds: 50,
  averageHelpfulRating: 4,
  interactionsPerSession: { viewed: 0, expanded: 0.5, compared: 0, contacted: 0.5 },
};

/** Sessions 1 and 5. */
const SIMPLE_FIGURES: OutcomeFigures = {
  sessions: 2,
  choices: 1,
  conversionRate: 0.5,
  averageChosenRank: 1,
  chosenRankDistribution: [{ rank: 1, choices: 1 }],
  averageSatisfaction: 5,
  averageDecisionTimeSeconds: 100,
  averageHelpfulRating: 5,
  interactionsPerSession: { viewed: 0.5, expanded: 0, compared: 0.5, contacted: 0 },
};

describe.each(testDatabaseKinds())('analytics over a seeded history, on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await seed(server, SESSIONS);
  });
  afterAll(() => server?.close());

  it('computes every figure overall, by segment, complexity, weights source and day', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({});

    expect(figures.overall).toEqual(OVERALL);
    expect(figures.bySegment.map((row) => row.segment)).toEqual([
      'price_sensitive',
      'quality_focused',
      'speed_priority',
      'local_preference',
      'premium_buyer',
      'balanced',
    ]);
    expect(figures.bySegment[0]).toMatchObject({ ...PRICE_SENSITIVE_FIGURES, sampleSize: 2 });
    expect(figures.bySegment[1]).toMatchObject({ ...QUALITY_FOCUSED_FIGURES, sampleSize: 2 });
    expect(figures.bySegment[2]).toMatchObject({ ...NO_OUTCOMES, sampleSize: 0, learningConfidence: 0 });
    expect(figures.bySegment[5]).toMatchObject({
      ...NO_OUTCOMES,
      sessions: 1,
      conversionRate: 0,
    });

    expect(figures.byComplexity).toEqual([
      { complexity: 'simple', ...SIMPLE_FIGURES },
      {
        complexity: 'moderate',
        ...NO_OUTCOMES,
        sessions: 1,
        choices: 1,
        conversionRate: 1,
        averageChosenRank: 2,
        chosenRankDistribution: [{ rank: 2, choices: 1 }],
        averageSatisfaction: 3,
        averageDecisionTimeSeconds: 200,
        averageHelpfulRating: 3,
        interactionsPerSession: { viewed: 1, expanded: 0, compared: 0, contacted: 0 },
      },
      {
        complexity: 'complex',
        ...NO_OUTCOMES,
        sessions: 1,
        conversionRate: 0,
        averageSatisfaction: 2,
        averageDecisionTimeSeconds: 50,
        averageHelpfulRating: 4,
        interactionsPerSession: { viewed: 0, expanded: 1, compared: 0, contacted: 1 },
      },
      { complexity: 'highly_complex', ...NO_OUTCOMES },
      {
        complexity: null,
        ...NO_OUTCOMES,
        sessions: 1,
        choices: 1,
        conversionRate: 1,
        averageChosenRank: 3,
        chosenRankDistribution: [{ rank: 3, choices: 1 }],
        averageSatisfaction: 4,
      },
    ]);

    // Too few choices to learn from yet: every session was ranked with the default weights.
    expect(figures.byWeightsSource).toEqual([
      { source: 'default', ...OVERALL },
      { source: 'blended', ...NO_OUTCOMES },
      { source: 'learned', ...NO_OUTCOMES },
    ]);

    expect(figures.daily).toEqual([
      {
        date: '2026-03-01',
        sessions: 2,
        choices: 2,
        conversionRate: 1,
        averageChosenRank: 1.5,
        averageSatisfaction: 4,
      },
      {
        date: '2026-03-02',
        sessions: 2,
        choices: 1,
        conversionRate: 0.5,
        averageChosenRank: 3,
        averageSatisfaction: 3,
      },
      {
        date: '2026-03-03',
        sessions: 1,
        choices: 0,
        conversionRate: 0,
        averageChosenRank: null,
        averageSatisfaction: null,
      },
    ]);
    // Five sessions are far below the minimum sample any insight or alert needs.
    expect(figures.insights).toEqual([]);
    expect(figures.alerts).toEqual([]);
  });

  it('filters by segment', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({ segment: 'quality_focused' });
    expect(figures.overall).toEqual(QUALITY_FOCUSED_FIGURES);
    expect(figures.bySegment).toHaveLength(1);
    expect(figures.bySegment[0]).toMatchObject({ segment: 'quality_focused', ...QUALITY_FOCUSED_FIGURES });
    expect(figures.daily.map((day) => day.date)).toEqual(['2026-03-02']);
  });

  it('filters by complexity', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({ complexity: 'simple' });
    expect(figures.overall).toEqual(SIMPLE_FIGURES);
    expect(figures.byComplexity).toEqual([{ complexity: 'simple', ...SIMPLE_FIGURES }]);
    expect(figures.daily.map((day) => [day.date, day.sessions])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-03', 1],
    ]);
  });

  it('filters by a window of whole days', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
    });
    expect(figures.overall).toEqual(QUALITY_FOCUSED_FIGURES);
  });

  it('filters by a window that starts and ends within days', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({
      from: new Date('2026-03-01T12:00:00Z'),
      to: new Date('2026-03-02T12:00:00Z'),
    });
    // Sessions 2 and 3.
    expect(figures.overall).toEqual({
      sessions: 2,
      choices: 1,
      conversionRate: 0.5,
      averageChosenRank: 2,
      chosenRankDistribution: [{ rank: 2, choices: 1 }],
      averageSatisfaction: 2.5,
      averageDecisionTimeSeconds: 125,
      averageHelpfulRating: 3.5,
      interactionsPerSession: { viewed: 0.5, expanded: 0.5, compared: 0, contacted: 0.5 },
    });
    expect(figures.daily.map((day) => [day.date, day.sessions, day.choices])).toEqual([
      ['2026-03-01', 1, 1],
      ['2026-03-02', 1, 0],
    ]);
  });

  it('combines a partial first day with the whole days after it', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({
      from: new Date('2026-03-01T12:00:00Z'),
    });
    // Sessions 2 to 5.
    expect(figures.overall).toEqual({
      sessions: 4,
      choices: 2,
      conversionRate: 0.5,
      averageChosenRank: 2.5,
      chosenRankDistribution: [
        { rank: 2, choices: 1 },
        { rank: 3, choices: 1 },
      ],
      averageSatisfaction: 3,
      averageDecisionTimeSeconds: 125,
      averageHelpfulRating: 3.5,
      interactionsPerSession: { viewed: 0.25, expanded: 0.25, compared: 0, contacted: 0.25 },
    });
  });

  it('reports an empty window as zeros, nulls and empty lists', async () => {
    const figures = await server.client().feedbackLearning.analytics.query({
      from: new Date('2026-04-01T00:00:00Z'),
      to: new Date('2026-04-02T06:00:00Z'),
    });
    expect(figures.overall).toEqual(NO_OUTCOMES);
    expect(figures.bySegment).toHaveLength(6);
    for (const row of figures.bySegment) expect(row).toMatchObject(NO_OUTCOMES);
    expect(figures.byComplexity).toEqual(
      ['simple', 'moderate', 'complex', 'highly_complex'].map((complexity) => ({
        complexity,
        ...NO_OUTCOMES,
      })),
    );
    expect(figures.byWeightsSource.every((row) => row.sessions === 0)).toBe(true);
    expect(figures.daily).toEqual([]);
    expect(figures.insights).toEqual([]);
  });
});

/** Records the sessions through the SDK, each at its own instant (only Date is faked; timers run). */
async function seed(server: TestServer, sessions: readonly SeededSession[]): Promise<void> {
  const matchloop = server.client(await server.createKey(['ingest']));
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    for (const [index, seeded] of sessions.entries()) {
      vi.setSystemTime(new Date(seeded.at));
      const session = await matchloop.feedbackLearning.startSession.mutate({
        customerId: `customer-${index}`,
        candidates: CANDIDATES,
        order: 'as_given',
        ...(seeded.preferences && { preferences: seeded.preferences }),
        ...(seeded.complexity && { project: { complexity: seeded.complexity } }),
      });
      for (const interaction of seeded.interactions ?? []) {
        await matchloop.feedbackLearning.recordInteraction.mutate({
          sessionId: session.sessionId,
          manufacturerId: CANDIDATES[0]?.manufacturerId as string,
          interactionType: interaction.type,
          ...(interaction.helpfulRating && { helpfulRating: interaction.helpfulRating }),
        });
      }
      if (!seeded.choice) continue;
      const { rank, ...rest } = seeded.choice;
      await matchloop.feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        chosenManufacturerId: rank === 'none' ? null : (CANDIDATES[rank - 1]?.manufacturerId as string),
        ...rest,
      });
    }
  } finally {
    vi.useRealTimers();
  }
}
