import { type Database, openDatabase } from '@matchloop/db';
import { FACTORS } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { learningOptions } from '.';
import { type AppendedChoice, Learning } from './learning';

const choice: AppendedChoice = {
  segment: 'balanced',
  customerChoiceNumber: 1,
  chosenRank: 1,
  importantFactors: [],
  shownFactors: new Float64Array(FACTORS.length * 2).map((_, index) => (index % 7) / 10),
};

describe('appending to the choice log', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase({ kind: 'memory' });
    await database.migrate();
  });
  afterEach(() => database.close());

  it('refuses choices the log stored in another order than they were learned from', async () => {
    const learning = await Learning.open(database.prisma, learningOptions());
    const outOfOrder = learning.append([choice, choice], async () => [{ sequence: 2n }, { sequence: 1n }]);
    await expect(outOfOrder).rejects.toThrow(/not in the order they were learned from/);
    expect(learning.events).toBe(0);
  });

  it('serves nothing of the choices until they are published', async () => {
    const learning = await Learning.open(database.prisma, learningOptions());
    const appended = await learning.append([choice, choice], async (learned) =>
      learned.map(({ learned: { version } }) => ({ sequence: BigInt(version) })),
    );
    expect(appended?.written).toEqual([{ sequence: 1n }, { sequence: 2n }]);
    expect(learning.serve('balanced')).toMatchObject({ version: 0, sampleSize: 0 });
    appended?.publish();
    expect(learning.serve('balanced')).toMatchObject({ version: 2, sampleSize: 2 });
  });

  it('learns nothing from choices the log did not take, having moved on', async () => {
    const learning = await Learning.open(database.prisma, learningOptions());
    const foldedUpTo: bigint[] = [];
    const appended = await learning.append([choice], async (_learned, upTo) => {
      foldedUpTo.push(upTo);
      return null;
    });
    expect(appended).toBeNull();
    expect(foldedUpTo).toEqual([0n]);
    expect(learning.serve('balanced')).toMatchObject({ version: 0, sampleSize: 0 });
  });

  it('hands back a checkpoint, at its choice, wherever the count of choices reaches the interval', async () => {
    const learning = await Learning.open(database.prisma, learningOptions({ checkpointInterval: 2 }));
    const appended = await learning.append([choice, choice, choice], async () => [
      { sequence: 10n },
      { sequence: 11n },
      { sequence: 12n },
    ]);
    const checkpoints = appended?.checkpoints ?? [];
    expect(checkpoints.map(({ state, choiceSequence }) => [state.events, choiceSequence])).toEqual([
      [2, 11n],
    ]);
  });
});
