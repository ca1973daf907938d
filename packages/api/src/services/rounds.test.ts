import { describe, expect, it } from 'vitest';
import { type RoundItem, Rounds } from './rounds';

/** Rounds that double their inputs, and remember which inputs went together. */
function doubling(
  maxPerRound: number,
  answer = (item: RoundItem<number, number>) => item.resolve(item.input * 2),
) {
  const seen: number[][] = [];
  const rounds = new Rounds<number, number>(async (round) => {
    seen.push(round.map((item) => item.input));
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const item of round) answer(item);
  }, maxPerRound);
  return { rounds, seen };
}

describe('Rounds', () => {
  it('does what arrives together in one round, and what arrives during it in the next', async () => {
    const { rounds, seen } = doubling(100);
    const first = [1, 2, 3].map((n) => rounds.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((n) => rounds.submit(n));
    expect(await Promise.all([...first, ...second])).toEqual([2, 4, 6, 8, 10]);
    expect(seen).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('never does more than maxPerRound at once', async () => {
    const { rounds, seen } = doubling(2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => rounds.submit(n)));
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gives each caller its own error, and goes on with the next round', async () => {
    const { rounds } = doubling(10, (item) =>
      item.input < 0 ? item.reject(new Error(`${item.input} is negative`)) : item.resolve(item.input * 2),
    );
    const results = await Promise.allSettled([1, -1, 2].map((n) => rounds.submit(n)));
    expect(
      results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason.message)),
    ).toEqual([2, '-1 is negative', 4]);
    expect(await rounds.submit(3)).toBe(6);
  });

  it('refuses, rather than leaves waiting, what a failed or forgetful round did not answer', async () => {
    let calls = 0;
    const rounds = new Rounds<number, number>(async (round) => {
      calls += 1;
      if (calls === 1) {
        round[0]?.resolve(10);
        throw new Error('the database went away');
      }
      round[0]?.resolve(20);
    }, 10);
    const failed = await Promise.allSettled([1, 2].map((n) => rounds.submit(n)));
    expect(failed[0]).toEqual({ status: 'fulfilled', value: 10 });
    expect(failed[1]).toMatchObject({ status: 'rejected', reason: { message: 'the database went away' } });
    const forgotten = await Promise.allSettled([3, 4].map((n) => rounds.submit(n)));
    expect(forgotten[0]).toEqual({ status: 'fulfilled', value: 20 });
    expect(forgotten[1]).toMatchObject({ status: 'rejected', reason: { message: /without answering/ } });
  });
});
