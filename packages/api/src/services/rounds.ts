/** One caller's item in a round, with the way to give that caller its own answer or its own error. */
export interface RoundItem<Input, Output> {
  readonly input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/**
 * Work that callers hand in one at a time and that is cheaper done for many at once: everything submitted
 * while the event loop is busy (concurrent requests, a batch of calls in one HTTP request), and everything
 * submitted while a round is being done, goes into the next round, up to `maxPerRound`. One round runs at a
 * time, so a round's statements never wait on another's, and a busy server does bigger rounds rather than
 * more of them.
 *
 * `run` answers each item of a round. An item it leaves unanswered is refused, so that no caller waits
 * forever; if it throws, every item it left unanswered gets that error.
 */
export class Rounds<Input, Output> {
  private pending: RoundItem<Input, Output>[] = [];
  private running = false;

  constructor(
    private readonly run: (round: readonly RoundItem<Input, Output>[]) => Promise<void>,
    private readonly maxPerRound: number,
  ) {}

  submit(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const round = this.pending.splice(0, this.maxPerRound).map(answeredOnce);
      await this.run(round.map(({ item }) => item)).then(
        () => {
          for (const { item, answered } of round)
            if (!answered()) item.reject(new Error('the round ended without answering this request'));
        },
        (error: unknown) => {
          for (const { item, answered } of round) if (!answered()) item.reject(error);
        },
      );
    }
    this.running = false;
  }
}

function answeredOnce<Input, Output>(
  item: RoundItem<Input, Output>,
): { item: RoundItem<Input, Output>; answered: () => boolean } {
  let answered = false;
  return {
    item: {
      input: item.input,
      resolve(output) {
        answered = true;
        item.resolve(output);
      },
      reject(error) {
        answered = true;
        item.reject(error);
      },
    },
    answered: () => answered,
  };
}
