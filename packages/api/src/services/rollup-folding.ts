import { foldFinishedRollupDays } from '@matchloop/db';
import type { ServiceDependencies } from '.';
import type { ServiceLogger } from './contract';
import { ScheduledTask } from './scheduled-task';

/** How often a running server folds: a finished day's shard rows wait at most this long. */
const ROLLUP_FOLD_INTERVAL_MS = 3_600_000;

/**
 * Folds the outcome rollups' finished days into one row per key (see foldFinishedRollupDays) when the server
 * starts and every hour after, so analytics over a long window reads one row per key and day however many
 * connections wrote it. Every server folds; whichever comes second finds nothing left.
 */
export class RollupFolder {
  private readonly folding: ScheduledTask<number>;

  constructor(deps: ServiceDependencies, logger: ServiceLogger) {
    this.folding = new ScheduledTask(
      () =>
        foldFinishedRollupDays(deps.database.prisma)
          .then((rows) => {
            if (rows > 0) logger.info({ rows }, 'finished days of the outcome rollups folded');
            return rows;
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'folding the outcome rollups failed');
            return 0;
          }),
      ROLLUP_FOLD_INTERVAL_MS,
    );
  }

  /**
   * Folds now and then every ROLLUP_FOLD_INTERVAL_MS until stopped; the timer does not keep the process alive.
   * Starting it again does nothing.
   */
  start(): void {
    this.folding.start({ runNow: true });
  }

  /** Stops folding and lets a running fold finish. */
  stop(): Promise<void> {
    return this.folding.stop();
  }
}
