import { parentPort, workerData } from 'node:worker_threads';
import { openCommitBaseline } from './commit-baseline';
import { createWorkloads, loadTarget, matchloopClient } from './http-workloads';
import { measureOpenLoop, type OpenLoopLatencies } from './load';
import { nodeHttpFetch } from './node-http-fetch';
import type { OpenLoopJob } from './open-loop-apart';

async function run(job: OpenLoopJob): Promise<OpenLoopLatencies> {
  if (job.kind === 'http') {
    const { workload, target, options } = job;
    const servers = { ...job.servers, fetch: nodeHttpFetch };
    const workloads = createWorkloads(() => matchloopClient(servers));
    return measureOpenLoop(loadTarget(workloads[workload], target, servers), options);
  }
  const baseline = await openCommitBaseline(job.database);
  try {
    return await measureOpenLoop(baseline.target, job.options);
  } finally {
    await baseline.close();
  }
}

parentPort?.postMessage(await run(workerData as OpenLoopJob));
