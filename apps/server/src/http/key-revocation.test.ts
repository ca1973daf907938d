import { apiKeyService } from '@matchloop/api';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { createMatchloopClient, MatchloopError } from '@matchloop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMatchloop } from '../testing/run-cli';
import { type ServerProcess, startServerProcess } from '../testing/server-process';
import { startTestServer, type TestServer } from '../testing/test-server';

/** The HTTP status a weights read with this client answers. */
async function statusOf(read: () => Promise<unknown>): Promise<number> {
  try {
    await read();
    return 200;
  } catch (error) {
    if (error instanceof MatchloopError) return error.data?.httpStatus as number;
    throw error;
  }
}

/**
 * Servers keep the active keys in memory so that checking one costs no query. Revoking a key must still
 * reach every running server, whoever revokes it.
 */
describe.each(testDatabaseKinds())('a key revoked while servers run (%s)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  it('is refused by the running server as soon as it hears of the revocation', async () => {
    const key = await server.createKey(['read']);
    const other = await server.createKey(['read']);
    const read = (apiKey: string) => () =>
      server.client(apiKey).feedbackLearning.weights.query({ segment: 'balanced' });
    expect([await statusOf(read(key)), await statusOf(read(other))]).toEqual([200, 200]);

    await apiKeyService(server.matchloop.database).revoke(key.slice(0, 12), 'test operator');
    await expect.poll(() => statusOf(read(key)), { timeout: 2000, interval: 10 }).toBe(401);
    expect(await statusOf(read(other))).toBe(200);
  });
});

describe.runIf(process.env.MATCHLOOP_TEST_POSTGRES_URL)(
  'a key revoked with the CLI while two servers share PostgreSQL',
  () => {
    const ADMIN_KEY = 'mlk_revocation-admin-key-0123456789';
    let database: TestDatabase;
    let servers: ServerProcess[] = [];
    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const env = {
        DATABASE_URL: database.target.kind === 'postgres' ? database.target.url : '',
        MATCHLOOP_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      };
      servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database?.drop();
    });

    it('is refused by every server right after the command returns', async () => {
      const created = await runMatchloop(
        ['keys', 'create', '--scope', 'read', '--name', 'partner'],
        database.target,
      );
      const key = created.stdout.trim().split('\n').at(-1) ?? '';
      const reads = () =>
        Promise.all(
          servers.map(({ url }) =>
            statusOf(() =>
              createMatchloopClient({ url, apiKey: key }).feedbackLearning.weights.query({
                segment: 'balanced',
              }),
            ),
          ),
        );
      expect(await reads()).toEqual([200, 200]);
      expect((await runMatchloop(['keys', 'revoke', key.slice(0, 12)], database.target)).code).toBe(0);
      await expect.poll(reads, { timeout: 2000, interval: 10 }).toEqual([401, 401]);
    });
  },
);
