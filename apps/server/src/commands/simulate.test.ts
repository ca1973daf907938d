import { SEGMENTS } from '@matchloop/schemas';
import { runSimulation } from '@matchloop/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server';
import { simulateCommand } from './simulate';

describe('the synthetic market against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('drives sessions through the SDK and reports what the server’s analytics shows', async () => {
    const key = await server.createKey(['ingest', 'read']);
    const blocks: number[] = [];
    const report = await runSimulation(
      server.client(key),
      { sessions: 300, seed: 1, blockSize: 100 },
      { onBlockCompleted: (block) => blocks.push(block.lastSession) },
    );

    const analytics = await server.client().feedbackLearning.analytics.query({});
    expect(report.overall.sessions).toBe(300);
    expect(analytics.overall.sessions).toBe(report.overall.sessions);
    expect(analytics.overall.choices).toBe(report.overall.choices);
    for (const figure of [
      'conversionRate',
      'averageChosenRank',
      'averageSatisfaction',
      'averageDecisionTimeSeconds',
    ] as const) {
      expect(analytics.overall[figure], figure).toBeCloseTo(report.overall[figure] as number, 6);
    }

    expect(blocks).toEqual([100, 200, 300]);
    const { default: defaults, learned } = report.byWeightsSource;
    expect(defaults.sessions + learned.sessions).toBe(300);
    // Each segment is served its defaults for its first 30 choices, then what it has learned.
    expect(defaults.sessions).toBeGreaterThan(30);
    expect(learned.sessions).toBeGreaterThan(100);
    // The counterfactual replays exactly the learned and blended sessions, and what was served is what happened.
    expect(report.counterfactual.served).toEqual({
      ...learned,
      averageSatisfaction: null,
      averageDecisionTimeSeconds: null,
    });
    expect(report.counterfactual.defaults.sessions).toBe(learned.sessions);
    expect(report.counterfactual.trueWeights.sessions).toBe(learned.sessions);
    expect(report.segments.map((segment) => segment.segment)).toEqual([...SEGMENTS]);
    expect(report.segments.reduce((sum, segment) => sum + segment.sampleSize, 0)).toBe(300);
    expect(report.segmentationAccuracy).toBeGreaterThan(0.8);
  });

  it('gives the same report for the same seed against a fresh server', async () => {
    const runOnFreshServer = async () => {
      const fresh = await startTestServer('pglite');
      try {
        return await runSimulation(fresh.client(), { sessions: 48, seed: 9 });
      } finally {
        await fresh.close();
      }
    };
    expect(await runOnFreshServer()).toEqual(await runOnFreshServer());
  });

  it('prints the blocks, the lift and the segments from the command line', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    await simulateCommand.parseAsync(['--url', server.url, '--key', server.adminKey, '--sessions', '40'], {
      from: 'user',
    });
    const output = printed.mock.calls.map((call) => String(call[0])).join('\n');
    expect(output).toContain('Simulating 40 sessions of a synthetic market (seed 1)');
    expect(output).toMatch(/^37–40 +\d+\.\d%/m);
    expect(output).toMatch(/^default weights +\d+ +\d+\.\d%/m);
    expect(output).toMatch(/^the market’s true weights +\d+ /m);
    expect(output).toMatch(/^price_sensitive +(default|blended|learned) +\d+/m);
    expect(process.exitCode).toBeUndefined();
  });

  it('stops with one plain sentence when the key may not read weights', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const ingestOnly = await server.createKey(['ingest']);
    await simulateCommand.parseAsync(['--url', server.url, '--key', ingestOnly, '--sessions', '5'], {
      from: 'user',
    });
    expect(process.exitCode).toBe(1);
    expect(printed).toHaveBeenCalledWith(expect.stringMatching(/^matchloop: the server at .* refused/));
  });
});
