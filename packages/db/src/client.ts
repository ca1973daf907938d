import { fsyncSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type ChangeFeed, pgliteChangeFeed, postgresChangeFeed } from './change-feed';
import { lockDataDirectory } from './data-dir-lock';
import { type Prisma, PrismaClient } from './generated/prisma/client';
import { applyPendingMigrations, committedMigrationNames } from './migrations/migrator';
import { type PreparedStatements, pgliteStatements, poolStatements } from './prepared-statements';

/**
 * Where the data lives. PostgreSQL when a URL is given (production, and several servers sharing one
 * database); otherwise embedded PGlite in a directory, or in memory for tests.
 */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'memory' };

export const DEFAULT_DATA_DIR = './.matchloop/data';

export interface Database {
  readonly prisma: PrismaClient;
  /** The hot paths' statements, on Prisma's connections but past its query interpreter. */
  readonly statements: PreparedStatements;
  readonly target: DatabaseTarget;
  /** Applies committed migrations that this database has not seen yet; returns their names. */
  migrate(): Promise<string[]>;
  /** Announcements of changes committed by any process; opened on first use, closed with the database. */
  changes(): Promise<ChangeFeed>;
  close(): Promise<void>;
}

/** Reads the target from the environment: DATABASE_URL wins, else MATCHLOOP_DATA_DIR, else the default. */
export function targetFromEnv(env: {
  DATABASE_URL?: string | undefined;
  MATCHLOOP_DATA_DIR?: string | undefined;
}): DatabaseTarget {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: env.MATCHLOOP_DATA_DIR || DEFAULT_DATA_DIR };
}

/** Where the data lives, in words for logs and messages. The URL is left out: it may carry a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'postgres') return 'PostgreSQL (DATABASE_URL)';
  if (target.kind === 'pglite') return `embedded PGlite in ${target.dataDir}`;
  return 'in-memory PGlite (nothing is kept)';
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const { adapter, statements, listen, release } = await connect(target);
  const prisma = new PrismaClient({ adapter });
  let changes: Promise<ChangeFeed> | undefined;
  return {
    prisma,
    statements,
    target,
    changes() {
      changes ??= listen();
      return changes;
    },
    async migrate() {
      const migrateIfBehind = async (db: Prisma.TransactionClient) => {
        // Starting the schema engine costs seconds; on every start but the first there is nothing for it to do.
        const applied = await appliedMigrationNames(db);
        const committed = await committedMigrationNames();
        if (committed.every((name) => applied.has(name))) return [];
        return applyPendingMigrations(adapter);
      };
      // Only one process can open a PGlite directory; servers sharing PostgreSQL may all start at once.
      if (target.kind !== 'postgres') return migrateIfBehind(prisma);
      return prisma.$transaction(async (tx) => {
        // The engine's own lock gives up after seconds; servers starting together wait their turn here instead.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
        return migrateIfBehind(tx);
      }, MIGRATION_TRANSACTION_OPTIONS);
    },
    async close() {
      await (await changes)?.close();
      await prisma.$disconnect();
      await release();
    },
  };
}

/** An arbitrary constant naming the advisory lock that serialises migrations across servers. */
const MIGRATION_LOCK = 7_201_416;
const MIGRATION_TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 600_000 } as const;

async function appliedMigrationNames(prisma: Prisma.TransactionClient): Promise<Set<string>> {
  const [table] = await prisma.$queryRaw<{ exists: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return new Set();
  const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return new Set(rows.map((row) => row.migration_name));
}

interface Connection {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  statements: PreparedStatements;
  listen: () => Promise<ChangeFeed>;
  release: () => Promise<void>;
}

/**
 * Longer than the alert monitor's minute between evaluations, so that each evaluation finds a connection
 * whose server process has the catalogue cached and the statements prepared, rather than opening one: after
 * pg's default 10 s, evaluating took 92 ms of queries rather than 28.
 */
const POOL_IDLE_TIMEOUT_MS = 5 * 60_000;

async function connect(target: DatabaseTarget): Promise<Connection> {
  if (target.kind === 'postgres') {
    // One pool for Prisma and the prepared statements; Prisma leaves a pool it was given for us to end.
    const pool = new pg.Pool({ connectionString: target.url, idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS });
    return {
      adapter: new PrismaPg(pool),
      statements: poolStatements(pool),
      listen: () => postgresChangeFeed(target.url),
      release: () => pool.end(),
    };
  }
  if (target.kind === 'memory') {
    const pglite = new PGlite();
    return pgliteConnection(pglite, () => pglite.close());
  }
  await mkdir(target.dataDir, { recursive: true });
  const unlock = await lockDataDirectory(target.dataDir);
  const pglite = await PGlite.create({
    fs: new DurableNodeFS(target.dataDir),
    startParams: DURABLE_START_PARAMS,
  }).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  return pgliteConnection(pglite, async () => {
    await pglite.close();
    await unlock();
  });
}

function pgliteConnection(pglite: PGlite, release: () => Promise<void>): Connection {
  return {
    adapter: new PrismaPGlite(pglite),
    statements: pgliteStatements(pglite),
    listen: () => pgliteChangeFeed(pglite),
    release,
  };
}

/**
 * PGlite as it ships runs Postgres with fsync off, and its Node filesystem could not sync anyway: a commit
 * is acknowledged once its WAL is handed to the operating system. That survives the process being killed,
 * not the machine losing power, which could also leave the directory corrupt. Acknowledged must mean on
 * disk, as on PostgreSQL: Postgres runs with fsync on and syncs its WAL with fsync() (the Wasm build
 * answers fdatasync() without syncing anything), and the filesystem is given the fsync it lacks.
 */
const DURABLE_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'wal_sync_method=fsync',
];

class DurableNodeFS extends NodeFS {
  override async init(...args: Parameters<NodeFS['init']>): ReturnType<NodeFS['init']> {
    const { emscriptenOpts } = await super.init(...args);
    return {
      emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), syncNodeFsOnFsync] },
    };
  }
}

/** The parts of Emscripten's Node filesystem that syncing needs; PGlite's types leave them out. */
interface EmscriptenNodeFs {
  readonly stream_ops?: { fsync?: (stream: { nfd?: number }) => number };
  readonly tryFSOperation?: <T>(operation: () => T) => T;
}

function syncNodeFsOnFsync(module: { NODEFS: unknown }): void {
  const nodeFs = module.NODEFS as EmscriptenNodeFs;
  const { stream_ops: streams, tryFSOperation } = nodeFs;
  // Starting without durability would be worse than not starting: a PGlite that changed these fails loudly.
  if (!streams || !tryFSOperation) throw new Error("PGlite's Node filesystem cannot be made to sync");
  streams.fsync = ({ nfd }) => {
    // Turned into the errno Postgres expects, so that a failed sync stops it rather than being ignored.
    if (nfd !== undefined) tryFSOperation(() => fsyncSync(nfd));
    return 0;
  };
}
