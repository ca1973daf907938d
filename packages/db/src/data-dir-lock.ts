import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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

/**
 * PGlite is Postgres in one process: two processes opening the same directory would corrupt it. The lock
 * records the holder's pid rather than relying on timeouts, so a server restarted after a crash takes
 * the directory back at once, and a second process is turned away at once.
 */
export async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, 'matchloop.pid');
  for (;;) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return () => unlink(lockPath).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holderPid = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    if (holderPid === process.pid || isAlive(holderPid))
      throw new DataDirectoryInUseError(dataDir, holderPid);
    await unlink(lockPath).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
