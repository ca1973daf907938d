import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { committedMigrationNames, readMigrationList } from './migrator';
import { misplacedSemicolons } from './semicolons';

describe('misplacedSemicolons', () => {
  it('accepts semicolons that end statements', () => {
    expect(misplacedSemicolons('CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN n int;')).toEqual([]);
  });

  it.each([
    ['a line comment', '-- first; then\nCREATE TABLE t (id int);', 'comment'],
    ['a block comment', '/* first; then */ CREATE TABLE t (id int);', 'comment'],
    ['a nested block comment', '/* a /* b */ c; */ CREATE TABLE t (id int);', 'comment'],
    ['a string', "COMMENT ON TABLE t IS 'a; b';", 'string'],
    ['a string with a doubled quote', "COMMENT ON TABLE t IS 'it''s; b';", 'string'],
    ['an E string with a backslash escape', "COMMENT ON TABLE t IS E'it\\'s; b';", 'string'],
    ['a quoted identifier', 'CREATE TABLE "a;b" (id int);', 'quoted identifier'],
    ['a $$ body', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;', 'dollar-quoted body'],
    [
      'a tagged body',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;',
      'dollar-quoted body',
    ],
  ])('finds the semicolon in %s', (_, sql, within) => {
    expect(misplacedSemicolons(sql)).toEqual([{ line: 1, within }]);
  });

  it('names the line of each one', () => {
    const sql = "CREATE TABLE t (id int);\n\n-- why; because\nCOMMENT ON TABLE t IS\n  'one; two';\n";
    expect(misplacedSemicolons(sql)).toEqual([
      { line: 3, within: 'comment' },
      { line: 5, within: 'string' },
    ]);
  });

  it('reads what follows a closed string, comment or body as statements again', () => {
    const sql = "SELECT 'a''b', \"x\"\"y\", E'\\\\' /* c */; SELECT $t$ d $t$; -- e\nSELECT 1;";
    expect(misplacedSemicolons(sql)).toEqual([]);
  });

  it('reads a string left open as running to the end of the script', () => {
    expect(misplacedSemicolons("SELECT 'a; b;")).toEqual([
      { line: 1, within: 'string' },
      { line: 1, within: 'string' },
    ]);
  });

  it('does not take a dollar sign inside a name for the start of a body', () => {
    expect(misplacedSemicolons('SELECT a$b$c, a1$b$c; SELECT 1;')).toEqual([]);
  });
});

describe('readMigrationList', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('reads every committed migration: each runs on PostgreSQL as on PGlite', async () => {
    const { migrationDirectories } = await readMigrationList();
    expect(migrationDirectories.length).toBeGreaterThan(0);
    expect(migrationDirectories.map(({ path }) => path)).toEqual(await committedMigrationNames());
  });

  it('refuses a migration that PostgreSQL would cut apart, naming it and the line', async () => {
    directory = await mkdtemp(join(tmpdir(), 'matchloop-migrations-'));
    await mkdir(join(directory, '20990101000000_explained'));
    await writeFile(
      join(directory, '20990101000000_explained', 'migration.sql'),
      'CREATE TABLE t (id int);\n-- kept small; it is read often\nCREATE INDEX t_id ON t (id);\n',
    );
    await expect(readMigrationList(directory)).rejects.toThrow(
      /Migration 20990101000000_explained has a semicolon that does not end a statement \(line 2, in a comment\)/,
    );
  });
});
