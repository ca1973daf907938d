import { describe, expect, it } from 'vitest';
import { type RoundItem, Rounds } from './rounds';

/** Rounds that double their inputs, and remember which inputs went together. */
function doubling(
  maxPerRound: number,
  answer = (item: RoundItem<number, number>) => item.resolve(item.input * 2),
  maxConcurrentRounds = 1,
) {
  const seen: number[][] = [];
  let running = 0;
  const mostRunning = { atOnce: 0 };
  const rounds = new Rounds<number, number>(
    async (round) => {
      seen.push(round.map((item) => item.input));
      running += 1;
      mostRunning.atOnce = Math.max(mostRunning.atOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      for (const item of round) answer(item);
    },
    maxPerRound,
    maxConcurrentRounds,
  );
  return { rounds, seen, mostRunning };
}

/** Lets the event loop take in what has been submitted, and start the round it makes. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('Rounds', () => {
  it('does what arrives together in one round, and what arrives during it in the next', async () => {
    const { rounds, seen } = doubling(100);
    const first = [1, 2, 3].map((n) => rounds.submit(n));
    await nextTurn();
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

  it('runs one round at a time unless told rounds may run side by side', async () => {
    const serial = doubling(100);
    await Promise.all([1, 2].map((n) => serial.rounds.submit(n)));
    const single = serial.rounds.submit(3);
    await nextTurn();
    await Promise.all([4, 5].map((n) => serial.rounds.submit(n)).concat(single));
    expect(serial.mostRunning.atOnce).toBe(1);

    const sideBySide = doubling(100, undefined, 2);
    const answers = [1, 2].map((n) => sideBySide.rounds.submit(n));
    await nextTurn();
    answers.push(...[3, 4].map((n) => sideBySide.rounds.submit(n)));
    await nextTurn();
    // Two rounds are running: what arrives now waits for one of them to end.
    answers.push(...[5, 6].map((n) => sideBySide.rounds.submit(n)));
    expect(await Promise.all(answers)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(sideBySide.seen).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(sideBySide.mostRunning.atOnce).toBe(2);
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
