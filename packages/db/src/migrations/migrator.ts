import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openSchemaEngine } from './schema-engine';
import { misplacedSemicolons } from './semicolons';

export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
export const SCHEMA_PATH = `${PRISMA_DIR}schema.prisma`;
export const MIGRATIONS_DIR = `${PRISMA_DIR}migrations`;

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Reads the committed migrations in Prisma's own layout: `<stamp>_<name>/migration.sql`. */
export async function readMigrationList(migrationsDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfilePath = `${migrationsDir}/migration_lock.toml`;
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: await readFile(lockfilePath, 'utf8').catch(() => null),
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(`${migrationsDir}/${name}/migration.sql`, 'utf8').then(
            (value) => ({ tag: 'ok' as const, value: splittable(name, value) }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/**
 * The script, if PostgreSQL can run it: a migration that only PGlite could run is refused on both, so that
 * whoever writes it finds out at once rather than when it first meets PostgreSQL.
 */
function splittable(name: string, sql: string): string {
  const misplaced = misplacedSemicolons(sql);
  if (misplaced.length === 0) return sql;
  const places = misplaced.map(({ line, within }) => `line ${line}, in a ${within}`).join('; ');
  throw new Error(
    `Migration ${name} has a semicolon that does not end a statement (${places}). On PostgreSQL, the ` +
      'migration driver splits a script at every semicolon, so it would cut the statement apart there. ' +
      "Reword the comment, or write the semicolon as \\073 in an E'' string (see the analytics_rollups migration).",
  );
}

/** The names of the committed migrations, oldest first. */
export async function committedMigrationNames(migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const { migrationDirectories } = await readMigrationList(migrationsDir);
  return migrationDirectories.map((directory) => directory.path);
}

/** Applies every committed migration the database has not seen yet; returns the names applied. */
export async function applyPendingMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const engine = await openSchemaEngine(await readFile(SCHEMA_PATH, 'utf8'), adapterFactory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrationList(),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database from the committed migrations to the current schema, computed on a
 * shadow database the adapter provides. Empty when the schema has no changes.
 */
export async function diffSchemaAgainstMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const engine = await openSchemaEngine(schema, adapterFactory);
  try {
    const { stdout } = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList()) },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stdout?.includes('This is an empty migration.') ? '' : (stdout ?? '');
  } finally {
    engine.free();
  }
}
