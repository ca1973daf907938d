import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { MarketplaceTraffic, OpenedSessions, openedSession } from './http-traffic';
import type { LoadTarget, SendRequest } from './load';

/** Interactions the frontend sends in one call of recordInteractions. */
export const INTERACTIONS_PER_BATCH = 50;
/** Sessions opened at once to record choices in, before those are measured: four of the SDK's full batches. */
const SESSIONS_OPENED_AT_ONCE = 200;
const TRAFFIC_SEED = 2024;

/** One kind of request, as sent to Matchloop and, with the same input, to each baseline. */
export interface Workload {
  /** As figure names begin, e.g. `startSession`. */
  readonly name: string;
  readonly matchloop: (client: MatchloopClient) => Promise<unknown>;
  /** Readies what `requests` more requests to Matchloop need, outside the timed part. */
  readonly prepare?: (requests: number) => Promise<void>;
  readonly noop: (client: MatchloopClient) => Promise<unknown>;
  readonly echo: (client: EchoClient) => Promise<unknown>;
}

/**
 * The workloads, in the order a run measures them: startSession first, as it opens the sessions the others
 * record choices and interactions in. `recordInteractionBatched` sends INTERACTIONS_PER_BATCH interactions in
 * one call, and the same input to each baseline in one request.
 */
export const WORKLOAD_NAMES = [
  'startSession',
  'recordChoice',
  'recordInteraction',
  'recordInteractionBatched',
  'weights',
] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];
export type Workloads = Readonly<Record<WorkloadName, Workload>>;

/**
 * The marketplace's traffic as workloads, over one run's sessions. `newClient` gives the client that opens
 * sessions for `recordChoice` to record choices in.
 */
export function createWorkloads(newClient: () => MatchloopClient): Workloads {
  const traffic = new MarketplaceTraffic(TRAFFIC_SEED);
  const sessions = new OpenedSessions();
  const openSession = async (client: MatchloopClient) => {
    const opened = await client.feedbackLearning.startSession.mutate(traffic.sessionRequest());
    sessions.add(openedSession(opened));
  };
  /** Opens sessions, a few SDK batches at a time, until `enough` says there are enough. */
  const openSessionsUntil = async (enough: () => boolean) => {
    const opener = newClient();
    while (!enough()) {
      await Promise.all(Array.from({ length: SESSIONS_OPENED_AT_ONCE }, () => openSession(opener)));
    }
  };
  const interactionBatch = () => ({
    interactions: Array.from({ length: INTERACTIONS_PER_BATCH }, () => traffic.interaction(sessions.any())),
  });

  return {
    startSession: {
      name: 'startSession',
      matchloop: openSession,
      noop: (noop) => noop.feedbackLearning.startSession.mutate(traffic.sessionRequest()),
      echo: (echo) => echo.post(traffic.sessionRequest()),
    },
    recordChoice: {
      name: 'recordChoice',
      matchloop: (matchloop) =>
        matchloop.feedbackLearning.recordChoice.mutate(traffic.choice(sessions.takeUnchosen())),
      prepare: (requests) => openSessionsUntil(() => sessions.unchosen >= requests),
      noop: (noop) => noop.feedbackLearning.recordChoice.mutate(traffic.choice(sessions.any())),
      echo: (echo) => echo.post(traffic.choice(sessions.any())),
    },
    recordInteraction: {
      name: 'recordInteraction',
      matchloop: (matchloop) =>
        matchloop.feedbackLearning.recordInteraction.mutate(traffic.interaction(sessions.any())),
      // Sessions to interact with, where none has been opened yet: customers interact with any of them.
      prepare: () => openSessionsUntil(() => sessions.opened > 0),
      noop: (noop) => noop.feedbackLearning.recordInteraction.mutate(traffic.interaction(sessions.any())),
      echo: (echo) => echo.post(traffic.interaction(sessions.any())),
    },
    recordInteractionBatched: {
      name: 'recordInteractionBatched',
      matchloop: (matchloop) => matchloop.feedbackLearning.recordInteractions.mutate(interactionBatch()),
      noop: (noop) => noop.feedbackLearning.recordInteractions.mutate(interactionBatch()),
      echo: (echo) => echo.post(interactionBatch()),
    },
    weights: {
      name: 'weights',
      matchloop: (matchloop) => matchloop.feedbackLearning.weights.query(traffic.weightsRequest()),
      noop: (noop) => noop.feedbackLearning.weights.query(traffic.weightsRequest()),
      echo: (echo) => echo.get(traffic.weightsRequest()),
    },
  };
}

/** Matchloop and its two baselines, each sent the same key so that each reads the same headers. */
export interface TargetServers {
  readonly matchloopUrl: string;
  readonly noopUrl: string;
  readonly echoUrl: string;
  readonly apiKey: string;
  /** What every client sends with; Node's own fetch when absent. */
  readonly fetch?: typeof globalThis.fetch;
}

export type TargetName = 'matchloop' | 'noop' | 'echo';

export function matchloopClient({ matchloopUrl, apiKey, fetch }: TargetServers): MatchloopClient {
  return createMatchloopClient({ url: matchloopUrl, apiKey, ...(fetch && { fetch }) });
}

/**
 * The workload as sent to one target, with a client for each user of the API (see LoadTarget.connect).
 * Only Matchloop is readied: the baselines store nothing, so any session will do for them.
 */
export function loadTarget(workload: Workload, name: TargetName, servers: TargetServers): LoadTarget {
  const connectors: Readonly<Record<TargetName, () => SendRequest>> = {
    matchloop: () => {
      const client = matchloopClient(servers);
      return () => workload.matchloop(client);
    },
    noop: () => {
      const client = noopClient(servers);
      return () => workload.noop(client);
    },
    echo: () => {
      const client = echoClient(servers);
      return () => workload.echo(client);
    },
  };
  return {
    name,
    connect: connectors[name],
    ...(name === 'matchloop' && workload.prepare && { prepare: workload.prepare }),
  };
}

/** A client of the noop baseline: the SDK's, as Matchloop's is, sending the same headers. */
export function noopClient({ noopUrl, apiKey, fetch }: TargetServers): MatchloopClient {
  return createMatchloopClient({ url: noopUrl, apiKey, ...(fetch && { fetch }) });
}

export interface EchoClient {
  post(body: unknown): Promise<unknown>;
  get(query: Readonly<Record<string, string>>): Promise<unknown>;
}

/** A client of the echo baseline, sending the SDK's headers, key included, so that it reads the same bytes. */
export function echoClient({ echoUrl: url, apiKey, fetch = globalThis.fetch }: TargetServers): EchoClient {
  const authorization = `Bearer ${apiKey}`;
  const answer = async (response: Response) => {
    if (!response.ok) throw new Error(`the echo server answered ${response.status}`);
    return response.json();
  };
  return {
    post: async (body) =>
      answer(
        await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      ),
    get: async (query) =>
      answer(await fetch(`${url}/echo?${new URLSearchParams(query)}`, { headers: { authorization } })),
  };
}
