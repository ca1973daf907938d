import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `matchloop evaluate` end to end: the real CLI, as a separate process, on the two published studies of
 * DESIGN §5, held to their reference fits.
 */

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDirectory = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
const workDirectory = mkdtempSync(join(tmpdir(), 'matchloop-evaluate-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function evaluate(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['apps/server/bin/matchloop.mjs', 'evaluate', ...args],
      { cwd: repositoryRoot },
    );
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { exitCode: code, stdout, stderr };
  }
}

/** Writes the reference split of a study: customers whose numeric id is divisible by 5 are held out. */
function writeReferenceSplit(study: string): { train: string; test: string } {
  const [header, ...rows] = readFileSync(join(dataDirectory, `${study}-choices.csv`), 'utf8')
    .trimEnd()
    .split('\n');
  const isTest = (row: string) => Number(row.split(',')[1]) % 5 === 0;
  const train = join(workDirectory, `${study}-train.csv`);
  const test = join(workDirectory, `${study}-test.csv`);
  writeFileSync(train, [header, ...rows.filter((row) => !isTest(row))].join('\n'));
  writeFileSync(test, [header, ...rows.filter(isTest)].join('\n'));
  return { train, test };
}

interface Reference {
  readonly factors: string[];
  readonly weights: Record<string, number>;
  readonly train_ll: number;
  readonly null_train_ll: number;
  readonly test: { readonly n: number; readonly mean_ll: number; readonly top1: number };
}

const railSplit = writeReferenceSplit('rail');

describe('matchloop evaluate', () => {
  it('reproduces the reference fit of the rail study on its train/test split (--json)', async () => {
    const reference = JSON.parse(
      readFileSync(join(dataDirectory, 'rail-choices.reference.json'), 'utf8'),
    ) as Reference;
    const result = await evaluate('--input', railSplit.train, '--test', railSplit.test, '--json');
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });

    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual([
      'weights',
      'standardErrors',
      'scale',
      'trainLogLikelihood',
      'nullLogLikelihood',
      'online',
      'test',
    ]);
    expect(Math.abs(report.trainLogLikelihood - reference.train_ll)).toBeLessThan(1e-3);
    expect(report.nullLogLikelihood).toBeCloseTo(reference.null_train_ll, 6);
    expect(Object.keys(report.weights)).toEqual(reference.factors);
    for (const factor of reference.factors) {
      expect(Math.abs(report.weights[factor] - (reference.weights[factor] as number))).toBeLessThan(0.005);
      expect(report.standardErrors[factor]).toBeGreaterThan(0);
    }
    expect(Math.abs(report.online.trainLogLikelihood / reference.train_ll - 1)).toBeLessThan(0.005);
    expect(report.test.sessions).toBe(reference.test.n);
    expect(Math.abs(report.test.top1 - reference.test.top1)).toBeLessThan(0.01);
    expect(Math.abs(report.test.meanLogLikelihood - reference.test.mean_ll)).toBeLessThan(0.01);
  });

  it('reproduces the published full-data log-likelihood of the electricity study', async () => {
    const result = await evaluate('--input', join(dataDirectory, 'electricity-choices.csv'), '--json');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Math.abs(report.trainLogLikelihood - -4958.649)).toBeLessThan(1e-3);
    expect(report).not.toHaveProperty('test');
  });

  it('prints the fit and the held-out scores as aligned tables', async () => {
    const result = await evaluate('--input', railSplit.train, '--test', railSplit.test);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Model: 4 factors, forced choice (no none option), no position effects');
    expect(result.stdout).toMatch(/^factor {6}weight {4}s\.e\. {8}β {2}s\.e\.\(β\) {2}online weight$/m);
    expect(result.stdout).toMatch(/^cost {8}0\.67\d\d {2}0\.\d{4} {2}17\.\d{4} {3}0\.\d{4} {9}0\.6\d{3}$/m);
    expect(result.stdout).toMatch(/^top-1 hit rate {20}0\.7\d{3}$/m);
  });

  it('names the file and line of a bad row, in one line, and exits 1', async () => {
    const file = join(workDirectory, 'bad-row.csv');
    writeFileSync(
      file,
      [
        'session_id,customer_id,manufacturer_id,rank,chosen,cost,speed',
        's1,c1,m1,1,1,0.5,0.5',
        's1,c1,m2,2,0,0.4,0.6',
        's2,c1,m1,1,yes,0.5,0.5',
      ].join('\n'),
    );
    expect(await evaluate('--input', file, '--json')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `matchloop: ${file}: line 4: chosen must be 0 or 1, got "yes"\n`,
    });
  });

  it('says plainly that an input file is missing, and exits 1', async () => {
    const file = join(workDirectory, 'missing.csv');
    expect(await evaluate('--input', file)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `matchloop: cannot read ${file}: no such file\n`,
    });
  });
});
