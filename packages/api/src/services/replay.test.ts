import { createHash } from 'node:crypto';
import { type Database, openDatabase } from '@matchloop/db';
import { DEFAULT_LEARNING_CONFIG } from '@matchloop/learning';
import { FACTORS, type FactorScores, SEGMENTS } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { learningOptions, openServices, type Services } from '.';
import { Learning } from './learning';
import { replayLearning } from './replay';

/** A small deterministic stream of sessions and choices across every segment. */
async function recordChoices(services: Services, count: number): Promise<void> {
  const preferenceBySegment = [
    { budgetSensitivity: 0.9 },
    { qualityRequirement: 0.9, budgetSensitivity: 0.5 },
    { urgency: 0.9 },
    { localPreference: 0.9 },
    { qualityRequirement: 0.9, budgetSensitivity: 0.1 },
    {},
  ];
  for (let i = 0; i < count; i++) {
    const candidates = [0, 1, 2, 3].map((j) => ({
      manufacturerId: `m${j}`,
      factors: Object.fromEntries(
        FACTORS.map((factor, k) => [factor, ((i * 7 + j * 13 + k * 5) % 11) / 10]),
      ) as FactorScores,
    }));
    const session = await services.feedback.startSession({
      customerId: `customer-${i % 9}`,
      preferences: preferenceBySegment[i % SEGMENTS.length],
      candidates,
      order: 'ranked',
    });
    const chosen = i % 5 === 4 ? null : (session.recommendations[i % 3]?.manufacturerId ?? null);
    await services.feedback.recordChoice(
      {
        sessionId: session.sessionId,
        chosenManufacturerId: chosen,
        importantFactors: i % 2 === 0 ? ['cost', 'speed'] : [],
      },
      null,
    );
  }
}

const digest = (learning: Learning) => createHash('sha256').update(learning.serialize()).digest('hex');

describe('replaying the choice log', () => {
  let database: Database;
  const options = learningOptions({ config: DEFAULT_LEARNING_CONFIG, checkpointInterval: 7 });
  beforeEach(async () => {
    database = await openDatabase({ kind: 'memory' });
    await database.migrate();
  });
  afterEach(() => database.close());

  it('rebuilds byte-identical state, equal to what a server learned choice by choice', async () => {
    const services = await openServices(database, { version: 'test', learning: options });
    await recordChoices(services, 40);
    await services.checkpoints.stored();
    // What a server holds now: the checkpoint written live at choice 35, then the five choices after it.
    const live = digest(await Learning.open(database.prisma, options));

    const first = await replayLearning(database, options);
    const second = await replayLearning(database, options);
    expect(first.choices).toBe(40);
    expect(first.digest).toBe(live);
    expect(second.digest).toBe(first.digest);
    expect(digest(await Learning.open(database.prisma, options))).toBe(first.digest);
  });

  it('resumes from a checkpoint and catches up to the same state as a full replay', async () => {
    const services = await openServices(database, { version: 'test', learning: options });
    await recordChoices(services, 24);
    await services.checkpoints.stored();
    // Checkpoints were written at 7, 14 and 21 choices while recording; a new server resumes after 21.
    const resumed = await Learning.open(database.prisma, options);
    expect(resumed.events).toBe(24);
    const full = await replayLearning(database, options);
    expect(digest(resumed)).toBe(full.digest);
  });

  it('replays an empty log into the untrained state', async () => {
    const result = await replayLearning(database, options);
    expect(result.choices).toBe(0);
    expect(result.digest).toBe(digest(Learning.empty(options)));
  });
});
