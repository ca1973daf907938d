import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMatchloop as matchloop } from './testing/run-cli';
import { startTestServer } from './testing/test-server';

describe('the matchloop CLI on an embedded data directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'matchloop-cli-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('migrates a new directory once, then finds it up to date', async () => {
    const first = await matchloop(['migrate'], dataDir);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/Applied: \d+_init/);
    expect((await matchloop(['migrate'], dataDir)).stdout).toMatch(/up to date/);
  });

  it('creates a key that a server on the same directory then accepts, with exactly its scopes', async () => {
    const created = await matchloop(
      ['keys', 'create', '--scope', 'ingest,read', '--name', 'matching service'],
      dataDir,
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim().split('\n').at(-1) ?? '';
    expect(key).toMatch(/^mlk_[\w-]{43}$/);

    const server = await startTestServer({
      target: { kind: 'pglite', dataDir },
      adminKey: 'mlk_cli-test-admin-key-0123456789abc',
    });
    try {
      const service = server.client(key);
      expect((await service.feedbackLearning.weights.query({ segment: 'balanced' })).segment).toBe(
        'balanced',
      );
      await expect(service.feedbackLearning.analytics.query({})).rejects.toThrow(/admin/);
    } finally {
      await server.close();
    }
  });

  it('says plainly that the directory is in use while a server holds it', async () => {
    const server = await startTestServer({
      target: { kind: 'pglite', dataDir },
      adminKey: 'mlk_cli-test-admin-key-0123456789abc',
    });
    try {
      const result = await matchloop(['keys', 'create', '--scope', 'admin', '--name', 'late'], dataDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/in use by another Matchloop process.*Stop the server first/s);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await server.close();
    }
    expect((await matchloop(['migrate'], dataDir)).code).toBe(0);
  });

  it('rejects an unknown scope with the list of valid ones', async () => {
    const result = await matchloop(['keys', 'create', '--scope', 'superuser', '--name', 'x'], dataDir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Scopes are ingest, read, admin/);
  });
});
