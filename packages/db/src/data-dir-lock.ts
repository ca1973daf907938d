import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Thrown when another process (a running server, usually) holds the embedded data directory. */
export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Matchloop process (pid ${holderPid}). ` +
        'Stop the server first, or point this command at PostgreSQL with DATABASE_URL.',
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/** The directories this process holds, so that opening one twice from here is refused as well. */
const heldByThisProcess = new Set<string>();

/**
 * PGlite is Postgres in one process: two processes opening the same directory would corrupt it. The lock
 * records who holds it rather than relying on timeouts, so a server restarted after a crash takes the
 * directory back at once, and a second process is turned away at once. A process is named by its pid and
 * its start time: a restarted container hands out the same pids again, and the crashed server's pid may
 * then be this very process, or another one that holds nothing.
 */
export async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const directory = resolve(dataDir);
  const lockPath = join(directory, 'matchloop.pid');
  if (heldByThisProcess.has(directory)) throw new DataDirectoryInUseError(dataDir, process.pid);
  // Claimed before the first await, so that two opens from this process cannot both take it.
  heldByThisProcess.add(directory);
  try {
    await takeLockFile(lockPath, dataDir);
  } catch (error) {
    heldByThisProcess.delete(directory);
    throw error;
  }
  return async () => {
    heldByThisProcess.delete(directory);
    await unlink(lockPath).catch(() => {});
  };
}

async function takeLockFile(lockPath: string, dataDir: string): Promise<void> {
  const self: LockHolder = { pid: process.pid, started: await startTime(process.pid) };
  for (;;) {
    try {
      await writeFile(lockPath, formatHolder(self), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseHolder(await readFile(lockPath, 'utf8').catch(() => ''));
    if (holder && (await isRunning(holder))) throw new DataDirectoryInUseError(dataDir, holder.pid);
    await unlink(lockPath).catch(() => {});
  }
}

interface LockHolder {
  readonly pid: number;
  /** When the process started, where the system tells (Linux); otherwise the pid alone has to do. */
  readonly started: string | undefined;
}

function formatHolder({ pid, started }: LockHolder): string {
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

function parseHolder(text: string): LockHolder | undefined {
  const [pid, started] = text.trim().split(' ');
  const holderPid = Number(pid);
  if (!Number.isInteger(holderPid) || holderPid <= 0) return undefined;
  return { pid: holderPid, started };
}

async function isRunning(holder: LockHolder): Promise<boolean> {
  // What this process holds it has recorded: a lock naming it is a crashed predecessor's that had its pid.
  if (holder.pid === process.pid || !isAlive(holder.pid)) return false;
  if (holder.started === undefined) return true;
  const started = await startTime(holder.pid);
  return started === undefined || started === holder.started;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's start time in clock ticks since boot: the 22nd field of /proc/<pid>/stat. */
async function startTime(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name, in parentheses, may hold spaces: the fields are counted after it, from the 3rd.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
