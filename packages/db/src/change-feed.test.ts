import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeFeed, ChangeListener } from './change-feed';
import type { Database } from './client';
import { insertApiKey, revokeApiKey } from './repositories/api-keys';
import { logChoiceDirectly } from './testing/logged-choices';
import { openTestDatabase, testDatabaseKinds } from './testing/test-databases';

/** Resolves with the first announcement `pick` accepts. */
function nextAnnouncement<T>(
  feed: ChangeFeed,
  pick: (resolve: (value: T) => void) => ChangeListener,
): Promise<T> {
  return new Promise((resolve) => {
    const unsubscribe = feed.subscribe(
      pick((value) => {
        unsubscribe();
        resolve(value);
      }),
    );
  });
}

describe.each(testDatabaseKinds())('announcements of committed changes (%s)', (kind) => {
  let database: Database;
  let feed: ChangeFeed;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    feed = await database.changes();
  });
  afterEach(() => database?.close());

  it('announces a key when it is created and when it is revoked', async () => {
    expect(feed.live).toBe(true);
    const created = nextAnnouncement<string>(feed, (resolve) => ({ apiKeyChanged: resolve }));
    const key = await insertApiKey(database.prisma, {
      name: 'frontend',
      scopes: ['ingest'],
      customerId: null,
      secretHash: 'a'.repeat(64),
      prefix: 'mlk_abcdefgh',
    });
    expect(await created).toBe('mlk_abcdefgh');

    const revoked = nextAnnouncement<string>(feed, (resolve) => ({ apiKeyChanged: resolve }));
    await revokeApiKey(database.prisma, key.id, new Date());
    expect(await revoked).toBe('mlk_abcdefgh');
  });

  it('announces every choice logged, with its sequence and its customer', async () => {
    const announced = nextAnnouncement<[bigint, string]>(feed, (resolve) => ({
      choiceLogged: (sequence, customerId) => resolve([sequence, customerId]),
    }));
    // The separator of an announcement's two parts, in the customer's id as well.
    const sequence = await logChoiceDirectly(database.prisma, {
      sessionId: '00000000-0000-4000-8000-000000000001',
      customerId: 'acme:emea:42',
    });
    expect(await announced).toEqual([sequence, 'acme:emea:42']);
  });

  it('announces nothing of a transaction that rolled back', async () => {
    const heard: bigint[] = [];
    feed.subscribe({ choiceLogged: (sequence) => heard.push(sequence) });
    await database.prisma
      .$transaction(async (tx) => {
        await logChoiceDirectly(tx, { sessionId: '00000000-0000-4000-8000-000000000002' });
        throw new Error('changed our mind');
      })
      .catch(() => {});
    const committed = await logChoiceDirectly(database.prisma, {
      sessionId: '00000000-0000-4000-8000-000000000003',
    });
    await expect.poll(() => heard).toEqual([committed]);
  });

  it.runIf(kind === 'postgres')('tells listeners to resync once its lost connection is back', async () => {
    const resynced = nextAnnouncement<void>(feed, (resolve) => ({ resynced: () => resolve() }));
    await database.prisma.$executeRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE query LIKE 'LISTEN%' AND datname = current_database()`,
    );
    await resynced;
    expect(feed.live).toBe(true);
    const announced = nextAnnouncement<bigint>(feed, (resolve) => ({ choiceLogged: resolve }));
    const sequence = await logChoiceDirectly(database.prisma, {
      sessionId: '00000000-0000-4000-8000-000000000004',
    });
    expect(await announced).toBe(sequence);
  });
});
