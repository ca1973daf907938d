import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatchloopClient } from '@matchloop/sdk';
import { createWorkloads, WORKLOAD_NAMES, type WorkloadName } from './http-workloads';
import { closedLoop, requestsPerSecond } from './load';
import { type MatchloopUnderTest, startMatchloopOn } from './server-processes';

/**
 * `node --import tsx bench/src/http-profile.ts [workload…]`: where `matchloop serve` spends its CPU time
 * under each workload of the HTTP benchmark (all of them unless named), on PostgreSQL when
 * MATCHLOOP_TEST_POSTGRES_URL names a server, else on PGlite. Each workload gets a fresh server running
 * under `--cpu-prof`; after a warm-up, the benchmark's closed loop drives it for PROFILED_MS, and the
 * functions with the most self time in that window are printed, then the packages they belong to.
 */

const CONCURRENCY = 16;
const WARM_UP_MS = 2000;
const PROFILED_MS = 8000;
/** Sessions opened before each workload, and choices recorded in half of them: a learner with something learned. */
const SESSIONS_BEFOREHAND = 200;
const TOP_FUNCTIONS = 10;
const TOP_PACKAGES = 8;
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Node names a profile CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile and writes one per thread: the
 * server answers requests on thread 0, and tsx loads modules on another.
 */
const MAIN_THREAD_PROFILE = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/;

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  /** Microseconds, on the profiled process's clock, as are the deltas. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** When the workload was profiled, on this process's clock (performance.now()). */
interface ProfiledWindow {
  readonly from: number;
  readonly to: number;
  readonly requestsPerSecond: number;
}

const [kind, description] = process.env.MATCHLOOP_TEST_POSTGRES_URL
  ? (['postgres', 'PostgreSQL'] as const)
  : (['pglite', 'PGlite'] as const);
const named = process.argv.slice(2);
const unknown = named.filter((name) => !(WORKLOAD_NAMES as readonly string[]).includes(name));
if (unknown.length > 0) {
  throw new Error(`no workload ${unknown.join(', ')}; there are ${WORKLOAD_NAMES.join(', ')}`);
}
for (const name of named.length > 0 ? (named as WorkloadName[]) : WORKLOAD_NAMES) await profile(name);

async function profile(name: WorkloadName): Promise<void> {
  const profileDirectory = await mkdtemp(join(tmpdir(), 'matchloop-profile-'));
  try {
    const server = await startMatchloopOn(kind, {
      nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`],
    });
    let window: ProfiledWindow;
    try {
      window = await drive(server, name);
    } finally {
      await server.stop();
    }
    // The profile ends as the server exits: its clock is read backwards from there.
    const exitedAt = performance.now();
    const file = (await readdir(profileDirectory)).find((fileName) => MAIN_THREAD_PROFILE.test(fileName));
    if (file === undefined) throw new Error('matchloop serve wrote no profile of its main thread');
    const cpuProfile = JSON.parse(await readFile(join(profileDirectory, file), 'utf8')) as CpuProfile;
    const onProfileClock = (at: number) => cpuProfile.endTime - (exitedAt - at) * 1000;
    report(name, window, selfTimes(cpuProfile, onProfileClock(window.from), onProfileClock(window.to)));
  } finally {
    await rm(profileDirectory, { recursive: true, force: true });
  }
}

/** Readies the server, warms it up, then drives it with the workload for PROFILED_MS. */
async function drive({ url, apiKey }: MatchloopUnderTest, name: WorkloadName): Promise<ProfiledWindow> {
  const newClient = () => createMatchloopClient({ url, apiKey });
  const workloads = createWorkloads(newClient);
  await workloads.recordChoice.prepare?.(SESSIONS_BEFOREHAND);
  const client = newClient();
  await Promise.all(
    Array.from({ length: SESSIONS_BEFOREHAND / 2 }, () => workloads.recordChoice.matchloop(client)),
  );

  const workload = workloads[name];
  const target = {
    name,
    connect: () => {
      const own = newClient();
      return () => workload.matchloop(own);
    },
  };
  const warmUp = await closedLoop(target, CONCURRENCY, WARM_UP_MS);
  await workload.prepare?.(Math.ceil(requestsPerSecond(warmUp) * (PROFILED_MS / 1000) * 2));
  const from = performance.now();
  const profiled = await closedLoop(target, CONCURRENCY, PROFILED_MS);
  return { from, to: performance.now(), requestsPerSecond: requestsPerSecond(profiled) };
}

interface SelfTime {
  readonly functionName: string;
  readonly where: string;
  readonly packageName: string;
  microseconds: number;
}

/** The self time of each function sampled between `from` and `to` (profile clock), most first. */
function selfTimes(profile: CpuProfile, from: number, to: number): SelfTime[] {
  const callFrames = new Map(profile.nodes.map(({ id, callFrame }) => [id, callFrame]));
  const byFunction = new Map<string, SelfTime>();
  let sampledAt = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] as number;
    sampledAt += delta;
    if (sampledAt < from || sampledAt > to) return;
    const { functionName, url, lineNumber } = callFrames.get(nodeId) as CallFrame;
    const where = url === '' ? '' : `${shortLocation(url)}:${lineNumber + 1}`;
    const key = `${functionName} ${where}`;
    const entry = byFunction.get(key) ?? {
      functionName: functionName || '(anonymous)',
      where,
      packageName: packageOf(url, functionName),
      microseconds: 0,
    };
    entry.microseconds += delta;
    byFunction.set(key, entry);
  });
  return [...byFunction.values()].sort((a, b) => b.microseconds - a.microseconds);
}

function report(name: WorkloadName, window: ProfiledWindow, times: readonly SelfTime[]): void {
  const busy = times.filter(({ functionName }) => functionName !== '(idle)');
  const busyMicroseconds = busy.reduce((sum, { microseconds }) => sum + microseconds, 0);
  const share = (microseconds: number) => `${((100 * microseconds) / busyMicroseconds).toFixed(1)} %`;
  const busyShare = busyMicroseconds / ((window.to - window.from) * 1000);
  console.log(
    `\n${name} on ${description}: ${Math.round(window.requestsPerSecond)} requests/s, the server busy ` +
      `${Math.round(100 * busyShare)} % of the time. Self time, as a share of the busy time:`,
  );
  for (const { functionName, where, microseconds } of busy.slice(0, TOP_FUNCTIONS)) {
    console.log(`${share(microseconds).padStart(7)}  ${functionName}  ${where}`);
  }
  const byPackage = new Map<string, number>();
  for (const { packageName, microseconds } of busy) {
    byPackage.set(packageName, (byPackage.get(packageName) ?? 0) + microseconds);
  }
  const packages = [...byPackage].sort(([, a], [, b]) => b - a).slice(0, TOP_PACKAGES);
  console.log(
    `by package: ${packages.map(([packageName, time]) => `${packageName} ${share(time)}`).join(', ')}`,
  );
}

/** A file as a reader looks it up: a package's file within the package, a repository's from its root. */
function shortLocation(url: string): string {
  const inPackage = url.split('/node_modules/').at(-1) as string;
  if (inPackage !== url) return inPackage;
  return url.startsWith('file://') ? relative(REPOSITORY, fileURLToPath(url)) : url;
}

/** The package a function belongs to: an npm or workspace package, Node, V8 or WebAssembly. */
function packageOf(url: string, functionName: string): string {
  // V8's own entries, e.g. (garbage collector), and native code: built-ins, and Node's bindings such as writev.
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  // PGlite's PostgreSQL, compiled to WebAssembly.
  if (url.startsWith('wasm://')) return '(WebAssembly)';
  const inPackage = url.split('/node_modules/').at(-1) as string;
  if (inPackage !== url) {
    const [scopeOrName, scopedName] = inPackage.split('/');
    return scopeOrName?.startsWith('@') ? `${scopeOrName}/${scopedName}` : (scopeOrName as string);
  }
  const [area, workspacePackage] = shortLocation(url).split('/');
  return area === 'apps' || area === 'packages' ? `@matchloop/${workspacePackage}` : url;
}
