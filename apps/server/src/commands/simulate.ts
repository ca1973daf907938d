import { createMatchloopClient, MatchloopError } from '@matchloop/sdk';
import {
  type BlockReport,
  runSimulation,
  type SimulationReport,
  type TalliedFigures,
} from '@matchloop/simulator';
import { MultiBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';

interface SimulateOptions {
  readonly url: string;
  readonly key: string;
  readonly sessions: number;
  readonly seed: number;
  readonly concurrency: number;
}

export const simulateCommand = new Command('simulate')
  .description(
    'Drive a running server with a synthetic market whose true weights are known, and show how learning ' +
      'lifts conversion over the default weights',
  )
  .requiredOption('--url <url>', 'the server’s base URL, e.g. http://localhost:3000')
  .addOption(
    new Option('--key <key>', 'an API key with the ingest and read scopes, or admin')
      .env('MATCHLOOP_API_KEY')
      .makeOptionMandatory(),
  )
  .option('--sessions <count>', 'recommendation sessions to simulate', parseCount, 2000)
  .option(
    '--seed <number>',
    'the market’s seed: against a fresh server, one seed gives one report',
    parseSeed,
    1,
  )
  .option('--concurrency <count>', 'sessions in flight at once', parseCount, 8)
  .action(async (options: SimulateOptions) => {
    const client = createMatchloopClient({ url: options.url, apiKey: options.key });
    console.log(
      `Simulating ${options.sessions.toLocaleString('en')} sessions of a synthetic market (seed ${options.seed}) ` +
        `against ${options.url}\n`,
    );
    const progress = createProgress(options.sessions);
    progress.print(BLOCK_HEADER);
    try {
      const report = await runSimulation(
        client,
        { sessions: options.sessions, seed: options.seed, concurrency: options.concurrency },
        {
          onSessionCompleted: progress.update,
          onBlockCompleted: (block) => progress.print(formatBlock(block)),
        },
      );
      progress.stop();
      console.log(`\n${formatLift(report)}\n\n${formatSegments(report)}`);
    } catch (error) {
      progress.stop();
      if (!(error instanceof MatchloopError)) throw error;
      console.error(`matchloop: the server at ${options.url} refused the simulation: ${error.message}`);
      process.exitCode = 1;
    }
  });

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1)
    throw new InvalidArgumentError('Expected a positive integer.');
  return count;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('Expected a whole number ≥ 0.');
  return seed;
}

interface Progress {
  readonly update: (completed: number) => void;
  /** Prints a line above the bar. */
  readonly print: (line: string) => void;
  readonly stop: () => void;
}

/**
 * A progress bar on an interactive terminal, with report lines printed above it; elsewhere (a pipe, CI) just
 * the lines, since a bar there would only be noise.
 */
function createProgress(total: number): Progress {
  if (!process.stdout.isTTY) return { update: () => {}, print: (line) => console.log(line), stop: () => {} };
  const bars = new MultiBar(
    {
      stream: process.stdout,
      format: ' {bar} {value}/{total} sessions · {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const bar = bars.create(total, 0);
  return {
    update: (completed) => bar.update(completed),
    print: (line) => bars.log(`${line}\n`),
    stop: () => {
      // The bar prints logged lines only when it redraws, so the last ones need one more redraw.
      bars.update();
      bars.stop();
    },
  };
}

const BLOCK_HEADER = `${'sessions'.padEnd(15)}${'conversion'.padStart(11)}${'avg chosen rank'.padStart(17)}${'ranked with learned weights'.padStart(29)}`;

function formatBlock(block: BlockReport): string {
  return (
    `${`${block.firstSession}–${block.lastSession}`.padEnd(15)}` +
    `${percent(block.figures.conversionRate).padStart(11)}` +
    `${decimal(block.figures.averageChosenRank).padStart(17)}` +
    `${percent(block.learnedShare).padStart(29)}`
  );
}

function formatLift(report: SimulationReport): string {
  const { default: defaults, learned } = report.byWeightsSource;
  const { served, defaults: rankedByDefaults, trueWeights } = report.counterfactual;
  const row = (label: string, figures: TalliedFigures, sessions = String(figures.sessions)) =>
    `${label.padEnd(30)}${sessions.padStart(9)}${percent(figures.conversionRate).padStart(12)}` +
    `${decimal(figures.averageChosenRank).padStart(17)}`;
  const lift = (after: TalliedFigures, before: TalliedFigures) =>
    `${'lift'.padEnd(39)}` +
    `${difference(after.conversionRate, before.conversionRate, (x) => `${(100 * x).toFixed(1)} pts`).padStart(12)}` +
    `${difference(after.averageChosenRank, before.averageChosenRank, (x) => x.toFixed(2)).padStart(17)}`;
  const header = (label: string) =>
    `${label.padEnd(30)}${'sessions'.padStart(9)}${'conversion'.padStart(12)}${'avg chosen rank'.padStart(17)}`;
  return [
    'Sessions by the weights Matchloop ranked them with',
    header('ranked with'),
    row('default weights', defaults),
    row('learned or blended weights', learned),
    lift(learned, defaults),
    '',
    'The learned and blended sessions again, same customers and taste shocks, ranked otherwise',
    header('ranked with'),
    row('what Matchloop served', served),
    row('the segment’s default weights', rankedByDefaults),
    row('the market’s true weights', trueWeights),
    lift(served, rankedByDefaults),
  ].join('\n');
}

function formatSegments(report: SimulationReport): string {
  const header =
    `${'segment'.padEnd(18)}${'served'.padStart(9)}${'choices'.padStart(9)}${'confidence'.padStart(12)}` +
    `${'L1 served'.padStart(11)}${'L1 defaults'.padStart(13)}`;
  const rows = report.segments.map(
    (segment) =>
      `${segment.segment.padEnd(18)}${segment.source.padStart(9)}${String(segment.sampleSize).padStart(9)}` +
      `${segment.confidence.toFixed(2).padStart(12)}${segment.servedL1Error.toFixed(3).padStart(11)}` +
      `${segment.defaultL1Error.toFixed(3).padStart(13)}`,
  );
  return [
    'Weights now served, against the market’s hidden true weights (L1 distance, lower is better)',
    header,
    ...rows,
    '',
    `Matchloop placed ${percent(report.segmentationAccuracy)} of sessions in the customer’s true segment.`,
  ].join('\n');
}

function percent(value: number | null): string {
  return value === null ? '–' : `${(100 * value).toFixed(1)}%`;
}

function decimal(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

function difference(after: number | null, before: number | null, format: (x: number) => string): string {
  if (after === null || before === null) return '–';
  const change = after - before;
  return `${change >= 0 ? '+' : '−'}${format(Math.abs(change))}`;
}
