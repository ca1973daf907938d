import { beforeEach, describe, expect, it } from 'vitest';
// Relative imports, not dependencies: @matchloop/server depends on this package (see retry.test.ts).
import type { TestServer } from '../../../apps/server/src/testing/test-server';
import { createMatchloopClient } from './index';
import type { FaultInjectingProxy } from './testing/fault-injecting-proxy';
import { serverBehindProxyForSuite } from './testing/server-behind-proxy';

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
