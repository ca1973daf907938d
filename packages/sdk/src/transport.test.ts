import type { Operation } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { beforeEach, describe, expect, it } from 'vitest';
// Relative imports, not dependencies: @matchloop/server depends on this package (see retry.test.ts).
import type { TestServer } from '../../../apps/server/src/testing/test-server';
import { createMatchloopClient } from './index';
import type { FaultInjectingProxy } from './testing/fault-injecting-proxy';
import { serverBehindProxyForSuite } from './testing/server-behind-proxy';
import { httpTransport } from './transport';

describe('how the client sends its calls', () => {
  let server: TestServer;
  let proxy: FaultInjectingProxy;
  /** For each request handed to fetch: whether it left before a timer set just before its calls had run. */
  let leftBeforeTimer: boolean[];
  let timerRun: boolean;
  const client = () =>
    createMatchloopClient({
      url: proxy.url,
      apiKey: server.adminKey,
      fetch: (input, init) => {
        leftBeforeTimer.push(!timerRun);
        return globalThis.fetch(input, init);
      },
    });
  /** Sets the timer that a call held for a timer would wait behind: the shortest Node has, 1 ms. */
  const startTimer = () => {
    timerRun = false;
    setTimeout(() => {
      timerRun = true;
    });
  };

  serverBehindProxyForSuite((live) => {
    ({ server, proxy } = live);
  });
  beforeEach(() => {
    proxy.requests.length = 0;
    leftBeforeTimer = [];
  });

  it('sends a call made on its own at once, in a request of its own', async () => {
    const matchloop = client();
    startTimer();
    const weights = await matchloop.feedbackLearning.weights.query({ segment: 'balanced' });

    expect(weights.segment).toBe('balanced');
    expect(leftBeforeTimer).toEqual([true]);
    expect(proxy.requests.map(({ procedures, batched }) => ({ procedures, batched }))).toEqual([
      { procedures: ['feedbackLearning.weights'], batched: false },
    ]);
  });

  it('sends the calls made together in one request, and answers each as its own', async () => {
    const matchloop = client();
    const [balanced, premium, missing] = await Promise.allSettled([
      matchloop.feedbackLearning.weights.query({ segment: 'balanced' }),
      matchloop.feedbackLearning.weights.query({ segment: 'premium_buyer' }),
      matchloop.feedbackLearning.weights.query({ segment: 'no_such_segment' as 'balanced' }),
    ]);

    expect(balanced).toMatchObject({ status: 'fulfilled', value: { segment: 'balanced' } });
    expect(premium).toMatchObject({ status: 'fulfilled', value: { segment: 'premium_buyer' } });
    expect(missing).toMatchObject({ status: 'rejected', reason: { data: { httpStatus: 400 } } });
    expect(proxy.requests.map(({ procedures, batched }) => ({ procedures, batched }))).toEqual([
      { procedures: Array(3).fill('feedbackLearning.weights'), batched: true },
    ]);
  });

  it('sends nothing for a call given up before it left', async () => {
    const matchloop = client();
    const abandoned = new AbortController();
    const givenUp = matchloop.feedbackLearning.weights.query(
      { segment: 'balanced' },
      { signal: abandoned.signal },
    );
    abandoned.abort();
    await expect(givenUp).rejects.toThrow(/abort/i);
    await matchloop.feedbackLearning.weights.query({ segment: 'speed_priority' });

    expect(leftBeforeTimer).toHaveLength(1);
    expect(proxy.requests.map(({ inputs }) => inputs)).toEqual([[{ segment: 'speed_priority' }]]);
  });
});

describe('the link that gathers calls made together', () => {
  /**
   * tRPC's client tears a call down only once it has settled, so through the client a call is never given up
   * while it waits for its run of code to end; any caller of the link may, and it must then not be sent.
   */
  it('passes on nothing of a call unsubscribed before its run of code ended, nor counts it', async () => {
    const [gather] = httpTransport({ url: 'http://127.0.0.1:1', authorization: undefined, fetch: undefined });
    const passedOn: Operation[] = [];
    const next = (op: Operation) =>
      observable<never, never>(() => {
        passedOn.push(op);
      });
    const call = (id: number): Operation => ({
      id,
      type: 'query',
      path: 'feedbackLearning.weights',
      input: { segment: 'balanced' },
      context: {},
      signal: null,
    });
    const link = (gather as NonNullable<typeof gather>)({});

    link({ op: call(1), next })
      .subscribe({})
      .unsubscribe();
    link({ op: call(2), next }).subscribe({});
    await Promise.resolve();

    expect(passedOn.map(({ id, context }) => ({ id, context }))).toEqual([
      { id: 2, context: { matchloopMadeTogether: false } },
    ]);
  });
});
