import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACTORS } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMatchloop } from '../testing/run-cli';
import { startTestServer } from '../testing/test-server';

const HEADER = `session_id,customer_id,manufacturer_id,rank,chosen,${FACTORS.join(',')}`;

/** `count` past sessions of three options; every fifth customer walked away. */
function historyCsv(count: number): string {
  const rows = [HEADER];
  for (let s = 0; s < count; s++) {
    for (let option = 0; option < 3; option++) {
      const chosen = s % 5 !== 4 && option === s % 3 ? 1 : 0;
      const factors = FACTORS.map((_, k) => (((s + option * 3 + k) % 10) / 10).toFixed(1));
      rows.push(`past-${s},customer-${s % 7},maker-${option},${option + 1},${chosen},${factors.join(',')}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

describe('matchloop import', () => {
  let dataDir: string;
  let csvPath: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'matchloop-import-'));
    csvPath = join(dataDir, 'history.csv');
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('imports past sessions once, and the learner and analytics count them', async () => {
    await writeFile(csvPath, historyCsv(40));
    const first = await runMatchloop(['import', '--input', csvPath], dataDir);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/Imported 40 sessions \(32 with a manufacturer chosen, 8 with none\)\./);
    const again = await runMatchloop(['import', '--input', csvPath], dataDir);
    expect(again.stdout).toMatch(/Imported 0 sessions .*; 40 were already imported\./);
    const audited = (await runMatchloop(['audit', '--json'], dataDir)).stdout.trim().split('\n');
    expect(audited.map((line) => JSON.parse(line))).toMatchObject([
      { action: 'history.imported', target: csvPath, details: { sessions: 0, alreadyImported: 40 } },
      { action: 'history.imported', target: csvPath, details: { sessions: 40, choices: 32 } },
    ]);

    const server = await startTestServer({
      target: { kind: 'pglite', dataDir },
      adminKey: 'mlk_import-test-admin-key-012345678',
    });
    try {
      const matchloop = server.client();
      const analytics = await matchloop.feedbackLearning.analytics.query({});
      expect(analytics.overall).toMatchObject({ sessions: 40, choices: 32, conversionRate: 0.8 });
      const weights = await matchloop.feedbackLearning.weights.query({ segment: 'balanced' });
      expect(weights).toMatchObject({ sampleSize: 40, version: 40, source: 'blended' });
    } finally {
      await server.close();
    }
  });

  it('names the line of a bad row and imports nothing from the file', async () => {
    const lines = historyCsv(10).split('\n');
    lines[7] = lines[7]?.replace(/,[\d.]+$/, ',1.5') ?? '';
    await writeFile(csvPath, lines.join('\n'));
    const result = await runMatchloop(['import', '--input', csvPath], dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 8: reliability must be a number in \[0, 1\], got "1.5"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    await writeFile(csvPath, historyCsv(10));
    expect((await runMatchloop(['import', '--input', csvPath], dataDir)).stdout).toMatch(
      /Imported 10 sessions/,
    );
  });

  it('refuses a file whose factor columns are not the product’s six', async () => {
    await writeFile(
      csvPath,
      'session_id,customer_id,manufacturer_id,rank,chosen,cost,comfort\ns1,c1,m1,1,1,0.5,0.5\n',
    );
    const result = await runMatchloop(['import', '--input', csvPath], dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /missing: quality, speed, proximity, capability, reliability; unknown: comfort/,
    );
  });

  it('replays the imported log into the same state every time', async () => {
    await writeFile(csvPath, historyCsv(30));
    await runMatchloop(['import', '--input', csvPath], dataDir);
    const first = await runMatchloop(['replay'], dataDir);
    const second = await runMatchloop(['replay'], dataDir);
    expect(first.stdout).toMatch(/Replayed 30 choices from the log\./);
    const digest = (output: string) => output.match(/digest \(SHA-256\): ([0-9a-f]{64})/)?.[1];
    expect(digest(first.stdout)).toBeDefined();
    expect(digest(second.stdout)).toBe(digest(first.stdout));
  });
});
