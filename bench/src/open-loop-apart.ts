import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '@matchloop/db';
import type { TargetName, TargetServers, WorkloadName } from './http-workloads';
import type { OpenLoopLatencies, OpenLoopOptions } from './load';

/** An open loop to run in a worker: which requests, to which target, at what rate. */
export type OpenLoopJob = HttpOpenLoop | CommitOpenLoop;

/** One workload's requests, through the SDK or the baselines' clients, to one of the servers. */
export interface HttpOpenLoop {
  readonly kind: 'http';
  readonly workload: WorkloadName;
  readonly target: TargetName;
  readonly servers: TargetServers;
  readonly options: OpenLoopOptions;
}

/** Bare commits on this database (see `openCommitBaseline`). */
export interface CommitOpenLoop {
  readonly kind: 'commit';
  readonly database: DatabaseTarget;
  readonly options: OpenLoopOptions;
}

/**
 * The worker loads its TypeScript through tsx, registered in the worker itself: Node 20 runs a worker's
 * entry before the hooks that `--import tsx` registers there.
 */
const WORKER_SOURCE = `
  import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => {
      register();
      return import(${JSON.stringify(new URL('./open-loop-worker.ts', import.meta.url).href)});
    });
`;

/**
 * `measureOpenLoop` in a worker thread of its own, which readies its own sessions. By the open loops the
 * load generator holds every session the run has opened, and a full collection of that heap (13–17 ms,
 * on both cores) stopped sending: the requests due meanwhile left late, and their wait was charged to the
 * server. The worker's heap holds only its own loop's requests, and the main thread sends nothing meanwhile.
 * Nor does it collect: `pnpm bench` runs without V8's memory reducer, which would otherwise collect the
 * closed loops' garbage during the first open loop, taking a core from the server for 80–140 ms at a time.
 */
export function measureOpenLoopApart(job: OpenLoopJob): Promise<OpenLoopLatencies> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the open loop's worker exited (${code}) without its latencies`)),
    );
  });
}
