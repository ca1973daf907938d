import { exec } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
// A relative import: bench does not depend on the server's test support as a package.
import { type ServerProcess, startServerProcess } from '../../apps/server/src/testing/server-process';

const execAsync = promisify(exec);

/** How long a server start that failed (PostgreSQL restarting, say) waits before trying again. */
const START_RETRY_MS = 1000;
/** A server that has not started for this long is not going to: the soak stops. */
const START_PATIENCE_MS = 60_000;

/**
 * `matchloop serve` kept running on one port: started again after each kill, and after any exit that
 * nobody asked for, which it counts as a crash.
 */
export class SupervisedServer {
  kills = 0;
  crashes = 0;
  readonly #env: Record<string, string>;
  #current: ServerProcess | undefined;
  #killing = false;
  #stopped = false;
  #starting: Promise<void> | undefined;

  constructor(env: Record<string, string>) {
    this.#env = env;
  }

  get url(): string {
    if (!this.#current) throw new Error('the server has not started');
    return this.#current.url;
  }

  /** Resolves once the server listens (again), trying for up to START_PATIENCE_MS. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    const running = this.#current?.process;
    if (running && running.exitCode === null && running.signalCode === null) return Promise.resolve();
    this.#starting = this.#startUntilListening().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** Kills the server outright (SIGKILL), leaves it down for `downMs`, and starts it again. */
  async kill(downMs: number): Promise<void> {
    await this.#starting;
    this.kills += 1;
    this.#killing = true;
    await this.#current?.stop('SIGKILL');
    this.#killing = false;
    await sleep(downMs);
    await this.start();
  }

  /** Kills the server at once, for a soak that is being interrupted and cannot wait. */
  abandon(): void {
    this.#stopped = true;
    this.#current?.process.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#starting?.catch(() => {});
    await this.#current?.stop();
  }

  async #startUntilListening(): Promise<void> {
    const firstTry = performance.now();
    while (!this.#stopped) {
      try {
        const server = await startServerProcess(this.#env);
        this.#current = server;
        server.process.once('exit', (code, signal) => {
          if (this.#killing || this.#stopped || this.#current !== server) return;
          this.crashes += 1;
          console.error(`  the server exited by itself (${signal ?? `code ${code}`}); starting it again`);
          // A start that gives up fails again, and is reported, where the soak next awaits one.
          this.start().catch(() => {});
        });
        return;
      } catch (error) {
        if (performance.now() - firstTry > START_PATIENCE_MS) {
          throw new Error(`the server has not started for ${START_PATIENCE_MS / 1000} s: ${mainLine(error)}`);
        }
        console.error(`  the server did not start (${mainLine(error)}); trying again`);
        await sleep(START_RETRY_MS);
      }
    }
  }
}

/** Null when `command` can run here, else why not. */
export async function unavailableCommand(command: string): Promise<string | null> {
  const program = command.trim().split(/\s+/)[0] ?? '';
  try {
    await execAsync(`command -v ${program}`);
    return null;
  } catch {
    return `${program} is not installed here`;
  }
}

/** Runs a shell command such as `pg_ctlcluster 15 main restart`, failing with its output if it fails. */
export async function runCommand(command: string): Promise<void> {
  await execAsync(command);
}

/** The line of a failed start's output that names the error, e.g. `Error: connect ECONNREFUSED …`. */
function mainLine(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((line) => line.trim());
  return lines.find((line) => /^[A-Za-z]*Error\b/.test(line)) ?? lines[0] ?? '';
}
