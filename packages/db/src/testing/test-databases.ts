import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Database, type DatabaseTarget, openDatabase } from '../client';

export type TestDatabaseKind = 'pglite' | 'postgres';

/**
 * The databases a suite runs against: in-memory PGlite always, and a real PostgreSQL server too when
 * MATCHLOOP_TEST_POSTGRES_URL names one (CI sets it), so both adapters are proven on every run.
 */
export function testDatabaseKinds(env: NodeJS.ProcessEnv = process.env): TestDatabaseKind[] {
  return env.MATCHLOOP_TEST_POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  readonly target: DatabaseTarget;
  /** Removes the database; PGlite in memory needs nothing. */
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind, so tests never see each other's data. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { target: { kind: 'memory' }, drop: async () => {} };
  const serverUrl = process.env.MATCHLOOP_TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('MATCHLOOP_TEST_POSTGRES_URL is not set');
  const name = `matchloop_test_${randomUUID().replaceAll('-', '')}`;
  await withAdminConnection(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    async drop() {
      await withAdminConnection(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** A fresh database of the given kind with the schema migrated; closing it also removes it. */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database> {
  const storage = await createTestDatabase(kind);
  let database: Database | undefined;
  try {
    database = await openDatabase(storage.target);
    await database.migrate();
  } catch (error) {
    await database?.close();
    await storage.drop();
    throw error;
  }
  const opened = database;
  return {
    ...opened,
    async close() {
      try {
        await opened.close();
      } finally {
        await storage.drop();
      }
    },
  };
}

async function withAdminConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
