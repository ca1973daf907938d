/**
 * `pnpm db:migration <name>`: writes prisma/migrations/<stamp>_<name>/migration.sql with the SQL that
 * takes the committed migrations to the current schema.prisma. Runs offline, on a throwaway in-memory
 * PGlite as the shadow database, so no PostgreSQL server and no native Prisma engine are needed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { diffSchemaAgainstMigrations, MIGRATIONS_DIR } from '../src/migrations/migrator';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: pnpm db:migration <name>   (lowercase letters, digits and underscores)');
  process.exit(2);
}

const shadow = new PGlite();
const sql = await diffSchemaAgainstMigrations(new PrismaPGlite(shadow));
await shadow.close();
if (sql.trim() === '') {
  console.log('schema.prisma matches the committed migrations: nothing to create.');
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `${MIGRATIONS_DIR}/${stamp}_${name}`;
await mkdir(dir, { recursive: true });
await writeFile(`${dir}/migration.sql`, sql);
await writeFile(`${MIGRATIONS_DIR}/migration_lock.toml`, 'provider = "postgresql"\n');
console.log(`Created ${dir}/migration.sql`);
