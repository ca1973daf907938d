import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import type { Benchmark, Figure } from './benchmark';
import { MarketplaceTraffic, OpenedSessions, openedSession } from './http-traffic';
import { type LoadTarget, measureOpenLoop, type OpenLoopLatencies, percentile } from './load';
import { nodeHttpFetch } from './node-http-fetch';
import { freshDatabase, type MatchloopUnderTest, startMatchloop } from './server-processes';

const CHOICES_PER_SECOND = 200;
const WARM_UP_MS = 5_000;
const MEASURED_MS = 30_000;
const TRAFFIC_SEED = 2024;
/** Sessions opened at once, through the servers in turn, before the choices in them are measured. */
const SESSIONS_OPENED_AT_ONCE = 100;
/** Servers sharing one PostgreSQL primary, as the README's scale-out path runs them: one, then more. */
const SERVER_COUNTS = [1, 2] as const;

/**
 * recordChoice at 200 choices a second in all, spread over several servers sharing one PostgreSQL primary
 * as a load balancer spreads them: each session is opened through one server and its choice sent to the
 * next, so that no server has opened the sessions it records choices in. Every server folds the one log
 * in its order, so each must learn the others' choices before it appends its own: what this measures is
 * what that costs. The server counts take turns over two rounds, so a burst of load elsewhere on a shared
 * machine skews neither.
 */
export const scaleOutBenchmark: Benchmark = {
  name: 'scaleOut',
  async run(): Promise<Figure[]> {
    if (!process.env.MATCHLOOP_TEST_POSTGRES_URL) {
      console.error('  skipped: servers share a database on PostgreSQL only (MATCHLOOP_TEST_POSTGRES_URL)');
      return [];
    }
    const runs = new Map<number, OpenLoopLatencies[]>(SERVER_COUNTS.map((count) => [count, []]));
    for (const count of [...SERVER_COUNTS, ...[...SERVER_COUNTS].reverse()]) {
      console.error(`  recordChoice through ${count} server(s) on one PostgreSQL…`);
      runs.get(count)?.push(await measureChoicesThrough(count));
    }
    return SERVER_COUNTS.flatMap((count) => {
      const ofCount = runs.get(count) ?? [];
      const pooled = {
        milliseconds: ofCount.flatMap(({ milliseconds }) => milliseconds),
        windowMs: ofCount.reduce((total, { windowMs }) => total + windowMs, 0),
      };
      const name = `recordChoiceThrough${count}Server${count === 1 ? '' : 's'}Postgres`;
      return [
        { name: `p50Ms.${name}`, value: percentile(pooled, 50), unit: 'ms' },
        { name: `p99Ms.${name}`, value: percentile(pooled, 99), unit: 'ms' },
      ];
    });
  },
};

async function measureChoicesThrough(count: number): Promise<OpenLoopLatencies> {
  const database = await freshDatabase('postgres');
  const servers: MatchloopUnderTest[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startMatchloop(database.target));
    const { apiKey } = servers[0] as MatchloopUnderTest;
    const clients = servers.map(({ url }) => createMatchloopClient({ url, apiKey, fetch: nodeHttpFetch }));
    const target = choicesThroughEachServerInTurn(clients);
    const latencies = await measureOpenLoop(target, {
      requestsPerSecond: CHOICES_PER_SECOND,
      warmUpMs: WARM_UP_MS,
      durationMs: MEASURED_MS,
    });
    console.error(
      `    p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms` +
        (latencies.fellBehind
          ? ' (fell behind: stopped early, so a longer run would wait longer still)'
          : ''),
    );
    return latencies;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  }
}

/** Choices spread over the servers in turn, each sent to the server after the one its session was opened through. */
function choicesThroughEachServerInTurn(clients: readonly MatchloopClient[]): LoadTarget {
  const traffic = new MarketplaceTraffic(TRAFFIC_SEED);
  const sessions = new OpenedSessions();
  const openedThrough = new Map<string, number>();
  const through = (turn: number) => clients[turn % clients.length] as MatchloopClient;
  let opened = 0;
  const open = async () => {
    const turn = opened++;
    const session = openedSession(
      await through(turn).feedbackLearning.startSession.mutate(traffic.sessionRequest()),
    );
    openedThrough.set(session.sessionId, turn);
    sessions.add(session);
  };
  return {
    name: `${clients.length} servers`,
    connect: () => () => {
      const session = sessions.takeUnchosen();
      const turn = (openedThrough.get(session.sessionId) as number) + 1;
      openedThrough.delete(session.sessionId);
      return through(turn).feedbackLearning.recordChoice.mutate(traffic.choice(session));
    },
    prepare: async (requests) => {
      while (sessions.unchosen < requests) {
        await Promise.all(Array.from({ length: SESSIONS_OPENED_AT_ONCE }, open));
      }
    },
  };
}
