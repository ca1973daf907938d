import { learningOptions, openServices, replayLearning } from '@matchloop/api';
import { testDatabaseKinds } from '@matchloop/db/testing';
import { SEGMENTS } from '@matchloop/schemas';
import type { MatchloopClient, Preferences } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weightsOfEverySegment } from '../testing/customer-traffic';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

const CHOICES = 200;
/** Frontends sending at once, each its share of the choices in one burst. */
const FRONTENDS = 20;
/** Stated preferences that place customers in different segments. */
const PREFERENCES: Preferences[] = [
  { budgetSensitivity: 0.9 },
  { qualityRequirement: 0.9, budgetSensitivity: 0.5 },
  { urgency: 0.9 },
  { localPreference: 0.9 },
  {},
];

describe.each(testDatabaseKinds())(`${CHOICES} choices sent at once, on %s`, (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  it('are all stored and learned from once each, one after another, as a replay of the log learns them', async () => {
    const frontends = Array.from({ length: FRONTENDS }, () => server.client());
    const frontendOf = (index: number) => frontends[index % FRONTENDS] as MatchloopClient;
    const sessions = await Promise.all(
      Array.from({ length: CHOICES }, (_, i) =>
        frontendOf(i).feedbackLearning.startSession.mutate(
          sessionRequest({
            customerId: `customer-${i % 37}`,
            preferences: PREFERENCES[i % PREFERENCES.length],
          }),
        ),
      ),
    );

    const answers = await Promise.all(
      sessions.map(({ sessionId, recommendations }, i) =>
        frontendOf(i).feedbackLearning.recordChoice.mutate({
          sessionId,
          chosenManufacturerId: i % 4 === 3 ? null : (recommendations[i % 3]?.manufacturerId ?? null),
        }),
      ),
    );

    // Every choice got a version of its own: the learner learned from them one at a time, none twice.
    const versions = answers.map(({ learning }) => learning.weightsVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual(answers.map((_, index) => index + 1));
    // The log holds them in the order they were learned from.
    const log = await server.matchloop.database.prisma.customerChoice.findMany({
      orderBy: { sequence: 'asc' },
      select: { learnedWeightsVersion: true },
    });
    expect(log.map(({ learnedWeightsVersion }) => learnedWeightsVersion)).toEqual(
      answers.map((_, index) => index + 1),
    );

    const served = await weightsOfEverySegment(server.client());
    for (const segment of SEGMENTS) {
      const learnedHere = answers.filter(({ learning }) => learning.segment === segment).length;
      expect(served[segment]).toMatchObject({ version: CHOICES, sampleSize: learnedHere });
    }
    // A replay of the log, served by a fresh learner restored from what the replay wrote, serves the same.
    const options = learningOptions();
    expect(await replayLearning(server.matchloop.database, options)).toMatchObject({ choices: CHOICES });
    const replayed = await openServices(server.matchloop.database, { version: 'test', learning: options });
    for (const segment of SEGMENTS) {
      expect(await replayed.feedback.weights({ segment })).toEqual(served[segment]);
    }
  });
});
