import { parentPort, workerData } from 'node:worker_threads';
import { createMatchloopClient } from '@matchloop/sdk';
import { createWorkloads, noopClient } from './http-workloads';
import { type LoadTarget, measureOpenLoop } from './load';
import type { OpenLoopJob } from './open-loop-apart';

const { workload, target, matchloopUrl, noopUrl, apiKey, options } = workerData as OpenLoopJob;
const newMatchloopClient = () => createMatchloopClient({ url: matchloopUrl, apiKey });
const sent = createWorkloads(newMatchloopClient)[workload];
const loadTarget: LoadTarget =
  target === 'matchloop'
    ? {
        name: target,
        connect: () => {
          const client = newMatchloopClient();
          return () => sent.matchloop(client);
        },
        ...(sent.prepare && { prepare: sent.prepare }),
      }
    : {
        name: target,
        connect: () => {
          const client = noopClient(noopUrl, apiKey);
          return () => sent.noop(client);
        },
      };
parentPort?.postMessage(await measureOpenLoop(loadTarget, options));
