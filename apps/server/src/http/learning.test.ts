import { learningOptions } from '@matchloop/api';
import { DEFAULT_LEARNING_CONFIG } from '@matchloop/learning';
import { SEGMENTS } from '@matchloop/schemas';
import type { FactorScores, MatchloopClient, Preferences } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factors } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

const PRICE_SENSITIVE: Preferences = { budgetSensitivity: 0.95 };
const QUALITY_FOCUSED: Preferences = { qualityRequirement: 0.95, budgetSensitivity: 0.5 };

/** Four manufacturers that trade cost against quality; everything else equal. */
function tradeOff(round: number): { manufacturerId: string; factors: FactorScores }[] {
  return [0, 1, 2, 3].map((j) => {
    const cheapness = (j + round) % 4;
    return {
      manufacturerId: `maker-${j}`,
      factors: factors({ cost: 0.2 + 0.2 * cheapness, quality: 0.8 - 0.2 * cheapness }),
    };
  });
}

/** A customer who always picks the cheapest option shown, or the best-quality one. */
async function chooseBy(
  client: MatchloopClient,
  customerId: string,
  preferences: Preferences,
  factor: 'cost' | 'quality',
  round: number,
) {
  const session = await client.feedbackLearning.startSession.mutate({
    customerId,
    preferences,
    candidates: tradeOff(round),
  });
  const candidates = tradeOff(round);
  const best = candidates.reduce((a, b) => (b.factors[factor] > a.factors[factor] ? b : a));
  await client.feedbackLearning.recordChoice.mutate({
    sessionId: session.sessionId,
    chosenManufacturerId: best.manufacturerId,
    importantFactors: [factor],
  });
  return session;
}

describe('learning from choices, through the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  it('serves defaults until 30 choices, then blends in what customers reveal', async () => {
    const matchloop = server.client();
    for (let i = 0; i < 29; i++) await chooseBy(matchloop, `thrifty-${i % 10}`, PRICE_SENSITIVE, 'cost', i);
    const early = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    expect(early).toMatchObject({ source: 'default', sampleSize: 29 });
    expect(early.values).toEqual(early.defaults);

    for (let i = 29; i < 60; i++) await chooseBy(matchloop, `thrifty-${i % 10}`, PRICE_SENSITIVE, 'cost', i);
    const later = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    expect(later.source).not.toBe('default');
    expect(later.sampleSize).toBe(60);
    expect(later.confidence).toBeGreaterThan(early.confidence);
    // Customers only ever traded quality away for price: cost gains weight, quality loses it.
    expect(later.values.cost).toBeGreaterThan(later.defaults.cost);
    expect(later.values.quality).toBeLessThan(later.defaults.quality);
    expect(Object.values(later.values).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);

    // What customers said beside what they did: every statement named cost.
    const cost = later.statedVsRevealed.factors.find((row) => row.factor === 'cost');
    expect(later.statedVsRevealed.statements).toBe(60);
    expect(cost).toMatchObject({ mentions: 60, statedShare: 1 });
    expect(cost?.revealedWeight).toBeGreaterThan(1 / 6);
  });

  it('stamps each session with the learner version it was ranked with', async () => {
    const matchloop = server.client();
    const before = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    const session = await chooseBy(matchloop, 'stamp-check', PRICE_SENSITIVE, 'cost', 0);
    expect(session.weights.version).toBe(before.version);
    const after = await matchloop.feedbackLearning.weights.query({ segment: 'price_sensitive' });
    expect(after.version).toBe(before.version + 1);
  });

  it('moves a customer whose choices contradict what they stated to the segment that explains them', async () => {
    const matchloop = server.client();
    // Five each: enough for each connoisseur to be placed by what they choose.
    for (let i = 0; i < 50; i++)
      await chooseBy(matchloop, `connoisseur-${i % 10}`, QUALITY_FOCUSED, 'quality', i);

    // Says quality matters, yet picks the cheapest option every time.
    let session = await chooseBy(matchloop, 'says-quality-buys-cheap', QUALITY_FOCUSED, 'cost', 0);
    expect(session).toMatchObject({ segment: 'quality_focused', segmentSource: 'rules' });
    for (let i = 1; i < 5; i++)
      session = await chooseBy(matchloop, 'says-quality-buys-cheap', QUALITY_FOCUSED, 'cost', i);
    // Opened together with a connoisseur's and a newcomer's session, each placed by their own evidence.
    const [next, connoisseur, newcomer] = await Promise.all(
      ['says-quality-buys-cheap', 'connoisseur-0', 'newcomer'].map((customerId) =>
        matchloop.feedbackLearning.startSession.mutate({
          customerId,
          preferences: QUALITY_FOCUSED,
          candidates: tradeOff(7),
        }),
      ),
    );
    expect(next).toMatchObject({ segment: 'price_sensitive', segmentSource: 'behavior' });
    expect(connoisseur).toMatchObject({ segment: 'quality_focused', segmentSource: 'behavior' });
    expect(newcomer).toMatchObject({ segment: 'quality_focused', segmentSource: 'rules' });
  });

  it('predicts choice probabilities that follow the served ranking', async () => {
    const session = await server.client().feedbackLearning.startSession.mutate({
      customerId: 'new-thrifty-customer',
      preferences: PRICE_SENSITIVE,
      candidates: tradeOff(0),
    });
    const probabilities = session.recommendations.map((r) => r.predictedChoiceProbability);
    expect(probabilities[0]).toBeGreaterThan(probabilities.at(-1) ?? 1);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThan(1); // the rest is walking away
  });
});

describe('one customer flooding a segment, through the API', () => {
  const CAP = 5;
  let server: TestServer;
  beforeAll(async () => {
    const learning = learningOptions({ config: { ...DEFAULT_LEARNING_CONFIG, customerChoiceCap: CAP } });
    server = await startTestServer('pglite', {}, learning);
  });
  afterAll(() => server?.close());

  it(`learns from only the first ${CAP} of one customer's choices, however many follow`, async () => {
    const matchloop = server.client();
    const everySegment = () =>
      Promise.all(SEGMENTS.map((segment) => matchloop.feedbackLearning.weights.query({ segment })));
    for (let i = 0; i < 40; i++) await chooseBy(matchloop, `connoisseur-${i}`, QUALITY_FOCUSED, 'quality', i);
    const quality = SEGMENTS.indexOf('quality_focused');
    const crowd = (await everySegment())[quality];

    for (let i = 0; i < CAP; i++) await chooseBy(matchloop, 'bargain-hunter', QUALITY_FOCUSED, 'cost', i);
    const atCap = await everySegment();
    expect(atCap[quality]?.sampleSize).toBe((crowd?.sampleSize ?? 0) + CAP);
    expect(atCap[quality]?.values.cost).toBeGreaterThan(crowd?.values.cost ?? 1);

    // Behaviour soon moves the customer to another segment; the cap follows them there.
    for (let i = CAP; i < 60; i++) await chooseBy(matchloop, 'bargain-hunter', QUALITY_FOCUSED, 'cost', i);
    const flooded = await everySegment();
    flooded.forEach((weights, index) => {
      const before = atCap[index];
      expect(weights.version).toBe((before?.version ?? 0) + 60 - CAP);
      expect(weights).toMatchObject({
        values: before?.values,
        confidence: before?.confidence,
        sampleSize: before?.sampleSize,
      });
    });
  });
});
