import { FACTORS, SEGMENTS } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../client';
import { logChoiceDirectly } from '../testing/logged-choices';
import { openTestDatabase, testDatabaseKinds } from '../testing/test-databases';
import { type LoggedChoice, readChoiceLog } from './choice-log';

const OPTIONS_SHOWN = 3;

/** The i-th choice of the log as it is written: every field varies with i, so a misplaced byte shows. */
function choiceNumber(i: number): Omit<LoggedChoice, 'sequence'> {
  return {
    segment: SEGMENTS[i % SEGMENTS.length] as LoggedChoice['segment'],
    customerChoiceNumber: 1 + Math.floor(i / 7),
    chosenRank: i % 5 === 0 ? null : 1 + (i % OPTIONS_SHOWN),
    importantFactors: FACTORS.slice(0, i % 3),
    shownFactors: Float64Array.from({ length: OPTIONS_SHOWN * FACTORS.length }, (_, k) => i + k / 64),
  };
}

/** Logs choices 1…count, each in a session of its own. */
async function logChoices({ prisma }: Database, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await logChoiceDirectly(prisma, {
      sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ...choiceNumber(i),
    });
  }
}

async function readAll(database: Database, after: bigint, pageSize: number): Promise<LoggedChoice[]> {
  const read: LoggedChoice[] = [];
  for await (const choice of readChoiceLog(database.prisma, after, pageSize)) read.push(choice);
  return read;
}

describe.each(testDatabaseKinds())('reading the choice log (%s)', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(() => database.close());

  it('gives every choice once, in log order, as it was written, across pages and the texts a page travels in', async () => {
    const logged = 253;
    await logChoices(database, logged);
    // Pages of 120 choices travel as texts of 100 and 20; the last page holds 13.
    const read = await readAll(database, 0n, 120);

    expect(read.map(({ sequence }) => sequence)).toEqual(
      Array.from({ length: logged }, (_, i) => BigInt(i + 1)),
    );
    expect(read.map(({ sequence, ...choice }) => choice)).toEqual(
      Array.from({ length: logged }, (_, i) => choiceNumber(i + 1)),
    );
  });

  it('starts after the sequence it is given, and reads nothing past the end of the log', async () => {
    await logChoices(database, 30);

    expect((await readAll(database, 17n, 5)).map(({ sequence }) => sequence)).toEqual(
      Array.from({ length: 13 }, (_, i) => BigInt(18 + i)),
    );
    expect(await readAll(database, 30n, 5)).toEqual([]);
  });
});
