import { foldFinishedRollupDays } from '@matchloop/db';
import type { ServiceDependencies } from '.';
import type { ServiceLogger } from './contract';

/** How often a running server folds: a finished day's shard rows wait at most this long. */
const ROLLUP_FOLD_INTERVAL_MS = 3_600_000;

/**
 * Folds the outcome rollups' finished days into one row per key (see foldFinishedRollupDays) when the server
 * starts and every hour after, so analytics over a long window reads one row per key and day however many
 * connections wrote it. Every server folds; whichever comes second finds nothing left.
 */
export class RollupFolder {
  private folding: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: ServiceDependencies,
    private readonly logger: ServiceLogger,
  ) {}

  /** Folds now and then every ROLLUP_FOLD_INTERVAL_MS until stopped; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    void this.fold();
    this.timer = setInterval(() => void this.fold(), ROLLUP_FOLD_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops folding and lets a running fold finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.folding;
  }

  /** Folds now and returns the shard rows folded in; calls made while a fold runs share it. Never fails. */
  private fold(): Promise<number> {
    this.folding ??= foldFinishedRollupDays(this.deps.database.prisma)
      .then((rows) => {
        if (rows > 0) this.logger.info({ rows }, 'finished days of the outcome rollups folded');
        return rows;
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'folding the outcome rollups failed');
        return 0;
      })
      .finally(() => {
        this.folding = null;
      });
    return this.folding;
  }
}
