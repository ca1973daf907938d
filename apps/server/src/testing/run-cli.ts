import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { DatabaseTarget } from '@matchloop/db';

const BIN = new URL('../../bin/matchloop.mjs', import.meta.url).pathname;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `matchloop` command, as an operator would, on an embedded data directory (given as its
 * path or as a target) or on PostgreSQL.
 */
export function runMatchloop(args: string[], database: string | DatabaseTarget): Promise<CliResult> {
  const target: DatabaseTarget =
    typeof database === 'string' ? { kind: 'pglite', dataDir: database } : database;
  const env = { ...process.env, ...databaseEnvironment(target) };
  return promisify(execFile)(process.execPath, [BIN, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliResult) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** The environment that points a `matchloop` process at the target, as an operator would set it. */
export function databaseEnvironment(target: DatabaseTarget): Record<string, string> {
  if (target.kind === 'postgres') return { DATABASE_URL: target.url };
  if (target.kind === 'pglite') return { MATCHLOOP_DATA_DIR: target.dataDir, DATABASE_URL: '' };
  throw new Error('A database in memory lives in one process; another process cannot open it');
}
