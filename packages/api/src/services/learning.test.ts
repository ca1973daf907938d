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
    const outOfOrder = database.prisma.$transaction((tx) =>
      learning.append(tx, [choice, choice], async () => [{ sequence: 2n }, { sequence: 1n }]),
    );
    await expect(outOfOrder).rejects.toThrow(/not in the order they were learned from/);
    expect(learning.events).toBe(0);
  });

  it('serves nothing of the choices until they are published', async () => {
    const learning = await Learning.open(database.prisma, learningOptions());
    const { written, publish } = await database.prisma.$transaction((tx) =>
      learning.append(tx, [choice, choice], async (learned) =>
        learned.map(({ learned: { version } }) => ({ sequence: BigInt(version) })),
      ),
    );
    expect(written).toEqual([{ sequence: 1n }, { sequence: 2n }]);
    expect(learning.serve('balanced')).toMatchObject({ version: 0, sampleSize: 0 });
    publish();
    expect(learning.serve('balanced')).toMatchObject({ version: 2, sampleSize: 2 });
  });
});
