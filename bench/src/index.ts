import { formatTable } from '@matchloop/server';
import { analyticsBenchmark } from './analytics';
import type { Benchmark, Figure } from './benchmark';
import { learnerBenchmark } from './learner';
import { replayBenchmark } from './replay';

/**
 * `pnpm bench`: runs every benchmark, prints a table of its figures, and ends with ONE line of JSON holding
 * every figure by name, for scripts to read. To add a benchmark, write a module exporting a `Benchmark` and
 * list it here.
 */
const benchmarks: readonly Benchmark[] = [learnerBenchmark, replayBenchmark, analyticsBenchmark];

const figures: Figure[] = [];
for (const benchmark of benchmarks) {
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
