import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScheduledTask } from './scheduled-task';

describe('a scheduled task', () => {
  let runs: number;
  let task: ScheduledTask<number>;

  beforeEach(() => {
    vi.useFakeTimers();
    runs = 0;
    task = new ScheduledTask(async () => ++runs, 1000);
  });
  afterEach(async () => {
    await task.stop();
    vi.useRealTimers();
  });

  it('runs at once when started so, then once per interval, however often it is started', async () => {
    task.start({ runNow: true });
    await vi.advanceTimersByTimeAsync(0);
    task.start({ runNow: true });
    task.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);

    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(4);
  });

  it('waits for its first interval unless told to run at once', async () => {
    task.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
  });

  it('shares a run under way with a call made meanwhile, and runs no more once stopped', async () => {
    const [first, second] = [task.run(), task.run()];
    expect(await first).toBe(1);
    expect(await second).toBe(1);

    task.start();
    await task.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(1);
  });
});
