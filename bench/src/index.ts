import { formatTable } from '@matchloop/server';
import { analyticsBenchmark } from './analytics';
import type { Benchmark, Figure } from './benchmark';
import { growthBenchmark } from './growth';
import { httpBenchmark } from './http';
import { learnerBenchmark } from './learner';
import { replayBenchmark } from './replay';
import { scaleOutBenchmark } from './scale-out';
import { parseSoakOptions, soakBenchmark } from './soak';

/**
 * `pnpm bench`: runs every benchmark, prints a table of its figures, and ends with ONE line of JSON holding
 * every figure by name, for scripts to read. To add a benchmark, write a module exporting a `Benchmark` and
 * list it here. MATCHLOOP_BENCH_ONLY=http,replay runs only the benchmarks named.
 */
const [command, ...commandArgs] = process.argv.slice(2);
if (command !== undefined && command !== 'soak') {
  throw new Error(`pnpm bench takes no ${command}; try pnpm bench:soak`);
}
/** The soak takes minutes, so it runs only when asked for: `pnpm bench:soak [flags]` (`pnpm bench soak`). */
const benchmarks: readonly Benchmark[] =
  command === 'soak'
    ? [soakBenchmark(parseSoakOptions(commandArgs, process.env))]
    : [
        learnerBenchmark,
        replayBenchmark,
        analyticsBenchmark,
        httpBenchmark,
        growthBenchmark,
        scaleOutBenchmark,
      ];

const figures: Figure[] = [];
for (const benchmark of selected(benchmarks, process.env.MATCHLOOP_BENCH_ONLY)) {
  console.error(`running ${benchmark.name}…`);
  figures.push(...(await benchmark.run()));
}

const VALUE_COLUMN = 1;
console.log(
  formatTable(
    [
      ['figure', 'value', 'unit', 'goal'],
      ...figures.map((figure) => [figure.name, formatValue(figure.value), figure.unit, formatGoal(figure)]),
    ],
    (column) => column === VALUE_COLUMN,
  ),
);
console.log(JSON.stringify(Object.fromEntries(figures.map((figure) => [figure.name, figure.value]))));

/** The benchmarks named in `only` (comma-separated), or all of them when it is unset or empty. */
function selected(all: readonly Benchmark[], only: string | undefined): readonly Benchmark[] {
  const names = (only ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `MATCHLOOP_BENCH_ONLY names no benchmark ${unknown.join(', ')}; there are ${all.map(({ name }) => name).join(', ')}`,
    );
  }
  return all.filter((benchmark) => names.includes(benchmark.name));
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

function formatGoal({ goal, value }: Figure): string {
  if (goal === undefined) return '';
  const { atLeast, atMost } = goal;
  const met = (atLeast === undefined || value >= atLeast) && (atMost === undefined || value <= atMost);
  const bounds = [
    atLeast === undefined ? null : `≥ ${formatValue(atLeast)}`,
    atMost === undefined ? null : `≤ ${formatValue(atMost)}`,
  ].filter((bound) => bound !== null);
  return `${bounds.join(', ')} ${met ? 'met' : 'MISSED'}`;
}
