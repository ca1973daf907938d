import { parentPort, workerData } from 'node:worker_threads';
import { createWorkloads, loadTarget, matchloopClient } from './http-workloads';
import { measureOpenLoop } from './load';
import type { OpenLoopJob } from './open-loop-apart';

const { workload, target, servers, options } = workerData as OpenLoopJob;
const workloads = createWorkloads(() => matchloopClient(servers));
parentPort?.postMessage(await measureOpenLoop(loadTarget(workloads[workload], target, servers), options));
