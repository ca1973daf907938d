import { Presets, SingleBar } from 'cli-progress';

/** A progress bar on stderr for long CLI work; silent when stderr is not a terminal (CI, pipes). */
export function startProgressBar(label: string, total: number): { update(done: number): void; stop(): void } {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
