import { Bench } from 'tinybench';

/**
 * What every benchmark module provides. Machines running benchmarks are shared and noisy, so each module
 * measures its own baseline in the same run and reports ratios against it beside the absolute figures.
 */
export interface Benchmark {
  readonly name: string;
  run(): Promise<readonly Figure[]>;
}

export interface Figure {
  /** Unique across all benchmarks: the key of this figure in the final JSON line. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target the product sets for this figure, if any. */
  readonly goal?: { readonly atLeast?: number; readonly atMost?: number };
}

export interface ThroughputTask {
  readonly name: string;
  /** How many operations one call of `run` performs. */
  readonly operationsPerCall: number;
  readonly run: () => void;
}

export interface ThroughputOptions {
  /** Measuring time per task per round, in milliseconds. */
  readonly timePerRound: number;
  readonly rounds: number;
}

/**
 * Operations per second of each task, in the order given. Each call runs a batch of operations, so the
 * timer's own cost stays out of sub-microsecond work. The tasks take turns over several rounds, and each
 * figure is the median call time over a round, then the median over the rounds: a burst of load on a shared
 * machine then skews neither one task against the others nor the result.
 */
export function measureThroughput(
  tasks: readonly ThroughputTask[],
  { timePerRound, rounds }: ThroughputOptions,
): number[] {
  const bench = new Bench({ time: timePerRound, warmupTime: timePerRound / 4, throws: true });
  for (const task of tasks) bench.add(task.name, task.run);
  const roundsPerTask = tasks.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    bench.reset();
    bench.runSync().forEach((task, index) => {
      const medianCallMilliseconds = task.result?.latency.p50;
      if (medianCallMilliseconds === undefined) throw new Error(`benchmark task ${task.name} did not run`);
      const operationsPerSecond =
        ((tasks[index] as ThroughputTask).operationsPerCall * 1000) / medianCallMilliseconds;
      (roundsPerTask[index] as number[]).push(operationsPerSecond);
    });
  }
  return roundsPerTask.map(median);
}

/** The nearest-rank percentile: the smallest of the values that at least `percent` % of them do not exceed. */
export function nearestRank(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] as number;
}

/** The middle value, or the mean of the two middle values of an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
