import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchloopError } from '@matchloop/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMatchloop as matchloop } from '../testing/run-cli';
import { startTestServer } from '../testing/test-server';

const ADMIN_KEY = 'mlk_keys-test-admin-key-0123456789abc';

describe('matchloop keys list and revoke', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'matchloop-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  async function createKey(scope: string, name: string): Promise<string> {
    const created = await matchloop(['keys', 'create', '--scope', scope, '--name', name], dataDir);
    expect(created.code).toBe(0);
    return created.stdout.trim().split('\n').at(-1) ?? '';
  }

  /** The HTTP status that a server on the data directory answers to a call with each key. */
  async function statusesOf(...keys: string[]): Promise<number[]> {
    const server = await startTestServer({ target: { kind: 'pglite', dataDir }, adminKey: ADMIN_KEY });
    try {
      return await Promise.all(
        keys.map((key) =>
          server
            .client(key)
            .feedbackLearning.weights.query({ segment: 'balanced' })
            .then(
              () => 200,
              (error: unknown) => {
                if (error instanceof MatchloopError) return error.data?.httpStatus as number;
                throw error;
              },
            ),
        ),
      );
    } finally {
      await server.close();
    }
  }

  it('lists every key as an aligned table, without its secret or the secret’s hash', async () => {
    expect((await matchloop(['keys', 'list'], dataDir)).stdout).toMatch(/no API keys yet/);
    const frontend = await createKey('ingest', 'frontend');
    const matching = await createKey('ingest,read', 'matching service');

    const listed = await matchloop(['keys', 'list'], dataDir);
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'id',
      'name',
      'scopes',
      'prefix',
      'customer',
      'created',
      'revoked',
    ]);
    expect(rows.map((row) => row.split(/\s{2,}/).slice(1, 5))).toEqual([
      ['frontend', 'ingest', frontend.slice(0, 12), '(any)'],
      ['matching service', 'ingest,read', matching.slice(0, 12), '(any)'],
    ]);
    for (const row of rows) {
      expect(row.indexOf('mlk_')).toBe(header?.indexOf('prefix'));
      expect(row).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+-$/);
    }
    for (const secret of [frontend, matching]) {
      expect(listed.stdout).not.toContain(secret);
      expect(listed.stdout).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
  });

  // Eight runs of the CLI and three server starts: more than the default time on a busy machine.
  it('revokes a key by prefix or id, after which a server refuses it and keeps accepting the others', {
    timeout: 120_000,
  }, async () => {
    const frontend = await createKey('read', 'frontend');
    const other = await createKey('read', 'other');
    expect(await statusesOf(frontend)).toEqual([200]);

    const revoked = await matchloop(['keys', 'revoke', frontend.slice(0, 12)], dataDir);
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Revoked API key "frontend"/) });
    expect(await statusesOf(frontend, other)).toEqual([401, 200]);

    const listed = (await matchloop(['keys', 'list'], dataDir)).stdout.split('\n');
    const frontendRow = listed.find((line) => line.includes('frontend')) ?? '';
    const revokedAt = /(\S+)$/.exec(frontendRow)?.[1] ?? '';
    expect(new Date(revokedAt).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(listed.find((line) => line.includes('other'))).toMatch(/\s-$/);

    // Revoking again changes nothing and says when it happened.
    const frontendId = frontendRow.split(/\s+/)[0] ?? '';
    expect(await matchloop(['keys', 'revoke', frontendId], dataDir)).toMatchObject({
      code: 0,
      stdout: `API key "frontend" (${frontend.slice(0, 12)}…) was already revoked, at ${revokedAt}.\n`,
    });

    // An id or prefix no key has is one plain line, not a stack trace.
    for (const reference of [randomUUID(), 'mlk_unknown']) {
      expect(await matchloop(['keys', 'revoke', reference], dataDir)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `matchloop: no API key has the id or prefix "${reference}" (see \`matchloop keys list\`).\n`,
      });
    }

    // A second bootstrap admin key sharing the first one's shown prefix: only the id tells them apart.
    await (
      await startTestServer({ target: { kind: 'pglite', dataDir }, adminKey: `${ADMIN_KEY}-2` })
    ).close();
    const prefix = ADMIN_KEY.slice(0, 12);
    expect(await matchloop(['keys', 'revoke', prefix], dataDir)).toMatchObject({
      code: 1,
      stderr: `matchloop: 2 API keys have the prefix "${prefix}": give the id.\n`,
    });
    // Both still open the door, and a guess that shares their prefix does not.
    expect(await statusesOf(ADMIN_KEY, `${ADMIN_KEY}-2`, `${ADMIN_KEY}-3`)).toEqual([200, 200, 401]);
  });

  it('keeps an audit log of who created and revoked which key, never holding a secret', async () => {
    const frontend = await createKey('ingest', 'frontend');
    const customerKey = (
      await matchloop(
        ['keys', 'create', '--scope', 'ingest', '--name', 'acme portal', '--customer', 'acme'],
        dataDir,
      )
    ).stdout;
    expect(customerKey).toMatch(/^Created API key "acme portal" with scope ingest, for customer acme only\./);
    expect((await matchloop(['keys', 'revoke', frontend.slice(0, 12)], dataDir)).code).toBe(0);

    const audit = await matchloop(['audit', '--json'], dataDir);
    expect(audit.code).toBe(0);
    const events = audit.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const operatorName = expect.stringMatching(/ \(matchloop CLI\)$/);
    expect(events).toEqual([
      expect.objectContaining({
        actor: operatorName,
        action: 'api_key.revoked',
        details: { name: 'frontend', prefix: frontend.slice(0, 12) },
      }),
      expect.objectContaining({
        actor: operatorName,
        action: 'api_key.created',
        details: expect.objectContaining({ name: 'acme portal', scopes: ['ingest'], customerId: 'acme' }),
      }),
      expect.objectContaining({
        actor: operatorName,
        action: 'api_key.created',
        details: expect.objectContaining({ name: 'frontend', prefix: frontend.slice(0, 12) }),
      }),
    ]);
    expect(events[0].target).toBe(events[2].target);
    expect(audit.stdout).not.toContain(frontend);

    const table = await matchloop(['audit', '--limit', '1'], dataDir);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(table.stdout).toMatch(/api_key\.revoked/);
    expect(await matchloop(['audit', '--limit', 'lots'], dataDir)).toMatchObject({ code: 1 });
  });
});
