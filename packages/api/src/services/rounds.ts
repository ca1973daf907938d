/** One caller's item in a round, with the way to give that caller its own answer or its own error. */
export interface RoundItem<Input, Output> {
  readonly input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/**
 * Work that callers hand in one at a time and that is cheaper done for many at once: everything submitted
 * while the event loop is busy (concurrent requests, a batch of calls in one HTTP request), and everything
 * submitted while rounds are being done, goes into the next round, up to `maxPerRound`. At most
 * `maxConcurrentRounds` run at a time: one, where each round must see what the one before it wrote; more
 * where rounds are independent, so that the next round is readied while one waits on the database, rather
 * than the server idling. Either way a busy server does bigger rounds rather than more of them.
 *
 * `run` answers each item of a round. An item it leaves unanswered is refused, so that no caller waits
 * forever; if it throws, every item it left unanswered gets that error.
 */
export class Rounds<Input, Output> {
  private pending: RoundItem<Input, Output>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (round: readonly RoundItem<Input, Output>[]) => Promise<void>,
    private readonly maxPerRound: number,
    private readonly maxConcurrentRounds = 1,
  ) {}

  submit(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Starts a round once the event loop has taken in what else arrives with this item, if one may start. */
  private schedule(): void {
    if (this.scheduled || this.running >= this.maxConcurrentRounds) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running += 1;
    while (this.pending.length > 0) {
      const round = this.pending.splice(0, this.maxPerRound).map(answeredOnce);
      // What arrives while this round runs may go into another, running beside it.
      if (this.pending.length > 0) this.schedule();
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
    this.running -= 1;
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
