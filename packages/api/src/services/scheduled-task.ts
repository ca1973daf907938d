/**
 * Work a server does on a schedule, and on demand in between: calls made while a run is under way share that
 * run rather than starting another. `work` must not reject; it reports its own failures.
 */
export class ScheduledTask<Result> {
  private running: Promise<Result> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly work: () => Promise<Result>,
    private readonly intervalMs: number,
  ) {}

  /** Runs now, or joins the run under way. */
  run(): Promise<Result> {
    this.running ??= this.work().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Runs every `intervalMs` until stopped, and at once too if `runNow`; the timer does not keep the process
   * alive. Starting a task already started does nothing.
   */
  start({ runNow = false }: { runNow?: boolean } = {}): void {
    if (this.timer) return;
    if (runNow) void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule and lets a run under way finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
