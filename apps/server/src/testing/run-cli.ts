import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const BIN = new URL('../../bin/matchloop.mjs', import.meta.url).pathname;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `matchloop` command, as an operator would, on an embedded data directory. */
export function runMatchloop(args: string[], dataDir: string): Promise<CliResult> {
  const env = { ...process.env, MATCHLOOP_DATA_DIR: dataDir, DATABASE_URL: '' };
  return promisify(execFile)(process.execPath, [BIN, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliResult) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
