import { randomUUID } from 'node:crypto';
import { type Database, type LoggedChoice, recentChoicesOfCustomers } from '@matchloop/db';
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
   * A choice written as a restore from a backup would write it: without announcing it to any server. The
   * second of two manufacturers shown is chosen, unless told otherwise; returns the choice as the log holds it.
   */
  const chooseUnannounced = async (
    customerId: string,
    { customerChoiceNumber = 1, chosenRank = 2 } = {},
  ): Promise<LoggedChoice> => {
    const choice = {
      segment: 'balanced',
      customerChoiceNumber,
      chosenRank,
      importantFactors: ['cost', 'speed'],
      shownFactors: new Float64Array(2 * FACTORS.length).map((_, at) => at / 20),
    } as const;
    const sequence = await database.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      return logChoiceDirectly(tx, { ...choice, sessionId: randomUUID(), customerId });
    });
    return { ...choice, importantFactors: [...choice.importantFactors], sequence };
  };

  /** Announces a choice as the log's trigger does, and waits until every listener has heard it. */
  const announce = async (choice: LoggedChoice, customerId: string) => {
    const feed = await database.changes();
    const heard = new Promise<void>((resolve) => {
      const unsubscribe = feed.subscribe({
        choiceLogged: (sequence) => {
          if (sequence !== choice.sequence) return;
          unsubscribe();
          resolve();
        },
      });
    });
    await database.prisma
      .$executeRaw`SELECT pg_notify('matchloop_choices', ${`${choice.sequence}:${customerId}`})`;
    await heard;
  };

  it("sees a choice another server recorded by the customer's next session", async () => {
    expect(await choicesOf('acme')).toEqual([]);
    await chooseElsewhere('acme');
    await expect.poll(() => choicesOf('acme')).toEqual([1]);
    await chooseElsewhere('acme');
    await expect.poll(() => choicesOf('acme')).toEqual([1, 1]);
  });

  it('keeps what it read until a choice of the customer is announced', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    const unannounced = await chooseUnannounced('acme');
    // Kept: the database is not asked again, and nothing said the customer chose.
    expect(await choicesOf('acme')).toEqual([]);
    // Another customer's choice changes nothing of what is kept for this one.
    await chooseElsewhere('globex');
    await expect.poll(() => choicesOf('globex')).toEqual([1]);
    expect(await choicesOf('acme')).toEqual([]);
    await announce(unannounced, 'acme');
    expect(await choicesOf('acme')).toEqual([2]);
  });

  it('adds a choice this server logged to what it kept, as reading the log gives it', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    const first = await chooseUnannounced('acme');
    await kept.whileLogging(['acme'], async (keep) => keep('acme', first));
    const read = await recentChoicesOfCustomers(database.statements, ['acme'], 50);
    expect((await kept.of(database.statements, ['acme'])).get('acme')).toEqual(read.get('acme'));

    // Still kept when the feed announces the same choice, as it does after every choice.
    const second = await chooseUnannounced('acme', { customerChoiceNumber: 2, chosenRank: 1 });
    await announce(first, 'acme');
    expect(await choicesOf('acme')).toEqual([2]);
    // The second is in the log but was never said to be: only announcing it makes it read.
    await announce(second, 'acme');
    expect(await choicesOf('acme')).toEqual([1, 2]);
  });

  it('keeps its own choice when the feed announces it before the write that logged it returns', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    const first = await chooseUnannounced('acme');
    await kept.whileLogging(['acme'], async (keep) => {
      await announce(first, 'acme');
      keep('acme', first);
    });
    await chooseUnannounced('acme', { customerChoiceNumber: 2, chosenRank: 1 });
    expect(await choicesOf('acme')).toEqual([2]);
  });

  it('forgets a customer when another choice of theirs was announced while it logged one', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    const first = await chooseUnannounced('acme');
    // Logged by another server right after this one's.
    const second = await chooseUnannounced('acme', { customerChoiceNumber: 2, chosenRank: 1 });
    await kept.whileLogging(['acme'], async (keep) => {
      await announce(first, 'acme');
      await announce(second, 'acme');
      keep('acme', first);
    });
    expect(await choicesOf('acme')).toEqual([1, 2]);
  });

  it('reads again when a choice it was not told of came before the one it logged', async () => {
    expect(await choicesOf('acme')).toEqual([]);
    await chooseUnannounced('acme', { chosenRank: 1 });
    const second = await chooseUnannounced('acme', { customerChoiceNumber: 2 });
    await kept.whileLogging(['acme'], async (keep) => keep('acme', second));
    expect(await choicesOf('acme')).toEqual([2, 1]);
  });

  it('keeps nothing of a read that may predate a choice logged while it ran', async () => {
    const reading = kept.of(database.statements, ['acme']);
    // Logged while the read runs, as a choice committed after what the read sees.
    const logging = kept.whileLogging(['acme'], async (keep) =>
      keep('acme', {
        sequence: 1_000n,
        segment: 'balanced',
        customerChoiceNumber: 1,
        chosenRank: 1,
        importantFactors: [],
        shownFactors: new Float64Array(2 * FACTORS.length),
      }),
    );
    await logging;
    expect((await reading).get('acme')).toEqual([]);
    await chooseUnannounced('acme', { chosenRank: 1 });
    expect(await choicesOf('acme')).toEqual([1]);
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
