import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory } from './data-dir-lock';

/** The lock a server killed without warning leaves behind: its pid, and when it started if known. */
const leftByCrashedServer = (dataDir: string, holder: string) =>
  writeFile(join(dataDir, 'matchloop.pid'), holder);

describe('the embedded data directory lock', () => {
  let dataDir: string;
  let bystander: ChildProcess | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'matchloop-lock-'));
  });
  afterEach(async () => {
    bystander?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is taken back by a server restarted with the pid its crashed predecessor had', async () => {
    await leftByCrashedServer(dataDir, String(process.pid));
    const release = await lockDataDirectory(dataDir);
    await release();
  });

  it("is taken back when the crashed server's pid now belongs to another process", async () => {
    // A restarted container hands out the same pids again, to whatever starts first.
    bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => bystander?.once('spawn', resolve));
    await leftByCrashedServer(dataDir, `${bystander.pid} 1`);
    const release = await lockDataDirectory(dataDir);
    await release();
  });

  it('is refused to a second open from the same process until the first lets go', async () => {
    const release = await lockDataDirectory(dataDir);
    await expect(lockDataDirectory(dataDir)).rejects.toBeInstanceOf(DataDirectoryInUseError);
    await release();
    await (await lockDataDirectory(dataDir))();
  });
});
