import { randomUUID } from 'node:crypto';
import type { Database } from '@matchloop/db';
import { logChoiceDirectly, openTestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { FACTORS, type FactorScores } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServices, type Services } from '.';
import { RecentChoices } from './recent-choices';

const FACTOR_SCORES = Object.fromEntries(FACTORS.map((factor) => [factor, 0.5])) as FactorScores;

describe.each(testDatabaseKinds())("a customer's recent choices, kept between sessions, on %s", (kind) => {
  let database: Database;
  let kept: RecentChoices;
  /** Another server sharing the database, as behind a load balancer. */
  let other: Services;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    kept = new RecentChoices(await database.changes());
    other = await openServices(database, { version: 'test' });
  });
  afterEach(() => database.close());

  const choicesOf = async (customerId: string) =>
    ((await kept.of(database.statements, [customerId])).get(customerId) ?? []).map(
      ({ chosenRank }) => chosenRank,
    );

  /** A session for the customer on the other server, with the first manufacturer shown chosen in it. */
  const chooseElsewhere = async (customerId: string) => {
    const { sessionId } = await other.feedback.startSession({
      customerId,
      candidates: ['maker-a', 'maker-b'].map((manufacturerId) => ({
        manufacturerId,
        factors: FACTOR_SCORES,
      })),
      order: 'as_given',
    });
    await other.feedback.recordChoice({ sessionId, chosenManufacturerId: 'maker-a' }, null);
  };

  /**
   * A choice of the second of two manufacturers shown, written as a restore from a backup would write it:
   * without announcing it to any server.
   */
  const chooseUnannounced = (customerId: string) =>
    database.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await logChoiceDirectly(tx, {
        sessionId: randomUUID(),
        customerId,
        chosenRank: 2,
        shownFactors: new Float64Array(2 * FACTORS.length).fill(0.5),
      });
    });

  it("sees a choice another server recorded by the customer's next session", async () => {
    expect(await choicesOf('acme')).toEqual([]);
    await chooseElsewhere('acme');
    await expect.poll(() => choicesOf('acme')).toEqual([1]);
    await chooseElsewhere('acme');
    await expect.poll(() => choicesOf('acme')).toEqual([1, 1]);
  });

  it('keeps what it read until a choice of the customer is announced', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    await chooseUnannounced('acme');
    // Kept: the database is not asked again, and nothing said the customer chose.
    expect(await choicesOf('acme')).toEqual([]);
    // Another customer's choice changes nothing of what is kept for this one.
    await chooseElsewhere('globex');
    await expect.poll(() => choicesOf('globex')).toEqual([1]);
    expect(await choicesOf('acme')).toEqual([]);
    kept.forget('acme');
    expect(await choicesOf('acme')).toEqual([2]);
  });

  it.runIf(kind === 'postgres')('forgets everything it kept when the feed was down', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    await chooseUnannounced('acme');
    const feed = await database.changes();
    const resynced = new Promise<void>((resolve) => feed.subscribe({ resynced: resolve }));
    await database.prisma.$executeRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE query LIKE 'LISTEN%' AND datname = current_database()`,
    );
    await resynced;
    expect(await choicesOf('acme')).toEqual([2]);
  });
});
