import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '@matchloop/db';
import { createTestDatabase, type TestDatabaseKind } from '@matchloop/db/testing';
import { freePort } from '../../apps/server/src/testing/server-process';

const HOST = '127.0.0.1';
/** Migrations and the learner's catch-up run before a server listens; on a busy machine that takes a while. */
const START_TIMEOUT_MS = 120_000;
const MATCHLOOP_BIN = fileURLToPath(
  new URL('../bin/matchloop.mjs', import.meta.resolve('@matchloop/server')),
);
const BASELINE_SERVERS = fileURLToPath(new URL('./baseline-servers.ts', import.meta.url));

/**
 * The flags `matchloop serve`'s executable starts Node with (its `#!/usr/bin/env -S node …` line). Matchloop
 * is started with them and any flags of the caller's (Node refuses some, `--cpu-prof` among them, in
 * NODE_OPTIONS); the baselines run with them too, so that only the work done differs between them.
 */
const MATCHLOOP_NODE_FLAGS: readonly string[] =
  /^#!\/usr\/bin\/env -S node((?: --\S+)*)\n/
    .exec(readFileSync(MATCHLOOP_BIN, 'utf8'))?.[1]
    ?.split(' ')
    .filter(Boolean) ?? [];

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Stops the server as an operator does (SIGTERM) and waits until its process has exited. */
  stop(): Promise<void>;
}

export interface MatchloopUnderTest extends ServerProcess {
  /** An admin key. */
  readonly apiKey: string;
}

/**
 * `matchloop serve` in its own process, as an operator runs it, on a fresh, empty database of the given
 * kind (see `freshDatabase`). Resolves once it accepts connections; stopping it also removes the database.
 */
export async function startMatchloopOn(
  kind: TestDatabaseKind,
  options: MatchloopOptions = {},
): Promise<MatchloopUnderTest> {
  const database = await freshDatabase(kind);
  try {
    const server = await startMatchloop(database.target, options);
    return {
      ...server,
      async stop() {
        try {
          await server.stop();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export interface MatchloopOptions {
  /** Node's own flags for the server's process, e.g. `--cpu-prof`, beside those its executable sets. */
  readonly nodeOptions?: readonly string[];
}

/**
 * `matchloop serve` in its own process on the database given, as it is: it migrates it and catches up with
 * its choice log before it listens, as at any start. It has an admin key, no rate limit (what is measured
 * is how fast it answers, not how it turns clients away) and logs warnings only. Resolves once it accepts
 * connections; stopping it leaves the database.
 */
export async function startMatchloop(
  target: DatabaseTarget,
  { nodeOptions = [] }: MatchloopOptions = {},
): Promise<MatchloopUnderTest> {
  const apiKey = `mlk_bench_${randomBytes(24).toString('base64url')}`;
  const server = await startServerProcess(
    'matchloop serve',
    [...MATCHLOOP_NODE_FLAGS, ...nodeOptions, MATCHLOOP_BIN, 'serve'],
    {
      ...serverEnvironment(target),
      MATCHLOOP_BOOTSTRAP_ADMIN_KEY: apiKey,
      MATCHLOOP_RATE_LIMIT: String(Number.MAX_SAFE_INTEGER),
      LOG_LEVEL: 'warn',
    },
  );
  return { ...server, apiKey };
}

export interface FreshDatabase {
  readonly target: DatabaseTarget;
  /** Removes the database, once no process has it open. */
  drop(): Promise<void>;
}

/**
 * A new, empty database a server process can open: PGlite in a temporary directory, or a new database on
 * MATCHLOOP_TEST_POSTGRES_URL's server.
 */
export async function freshDatabase(kind: TestDatabaseKind): Promise<FreshDatabase> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'matchloop-bench-'));
    return {
      target: { kind: 'pglite', dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  return createTestDatabase('postgres');
}

/** The environment that points `matchloop serve` at the database. */
function serverEnvironment(target: DatabaseTarget): Record<string, string> {
  switch (target.kind) {
    case 'postgres':
      return { DATABASE_URL: target.url };
    case 'pglite':
      // An empty DATABASE_URL counts as unset, so that one in the caller's environment cannot win.
      return { MATCHLOOP_DATA_DIR: target.dataDir, DATABASE_URL: '' };
    case 'memory':
      throw new Error('an in-memory database lives in the process that opened it: a server cannot share it');
  }
}

/** One of the servers of `baseline-servers.ts` in its own process. Resolves once it accepts connections. */
export function startBaselineProcess(kind: 'trpc' | 'echo'): Promise<ServerProcess> {
  return startServerProcess(
    `the ${kind} baseline`,
    [...MATCHLOOP_NODE_FLAGS, '--import', import.meta.resolve('tsx'), BASELINE_SERVERS, kind],
    {},
  );
}

/** Runs Node with these arguments as a server listening on a port of its own. */
async function startServerProcess(
  name: string,
  nodeArguments: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeArguments, {
    env: { ...process.env, ...env, PORT: String(port), HOST },
    // The benchmark's own stdout holds its table and JSON line only; what a server says goes to stderr.
    stdio: ['ignore', process.stderr.fd, process.stderr.fd],
  });
  const exited = once(child, 'exit');
  const server: ServerProcess = {
    url: `http://${HOST}:${port}`,
    async stop() {
      if (isRunning(child)) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntilListening(name, child, port);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function waitUntilListening(name: string, child: ChildProcess, port: number): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (!(await acceptsConnections(port))) {
    if (!isRunning(child))
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before listening`);
    if (performance.now() > deadline)
      throw new Error(`${name} did not listen within ${START_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
