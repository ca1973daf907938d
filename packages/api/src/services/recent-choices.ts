import {
  type ChangeFeed,
  type LoggedChoice,
  type PreparedStatements,
  recentChoicesOfCustomers,
} from '@matchloop/db';
import { LRUCache } from 'lru-cache';

/** A customer's latest choices say more about them now than their whole history does. */
const CHOICES_CONSIDERED_FOR_SEGMENTATION = 50;
/** About 0.7 KB a choice: some 35 MB for the choices of the customers a busy server sees. */
const CHOICES_KEPT = 50_000;

/** Tells what a server logs to the customers' recent choices it keeps; see `RecentChoices.whileLogging`. */
export type KeepLogged = (customerId: string, choice: LoggedChoice) => void;

/**
 * Each customer's most recent choices, newest first, kept between their sessions, so that a returning
 * customer's session is opened without reading them again. A choice this server logs is added to what it
 * kept for its customer, when it is the very next one of theirs. A choice by any server is announced on the
 * change feed with its customer and sequence, and what was kept for that customer is forgotten unless it
 * holds that choice already. While the feed cannot vouch for its announcements nothing is kept. A customer
 * without choices is kept too, as none.
 */
export class RecentChoices {
  private readonly kept = new LRUCache<string, readonly LoggedChoice[]>({
    maxSize: CHOICES_KEPT,
    sizeCalculation: (choices) => choices.length + 1,
  });
  /**
   * For each read in flight, the choices logged since it began, by customer: what it found for a customer is
   * kept only if it holds every one of theirs, as it may predate one whose announcement has come and gone.
   */
  private readonly loggedDuringReads = new Set<Map<string, bigint[]>>();
  /**
   * The customers this server is logging choices for, with the choices announced for them meanwhile that
   * nothing kept holds. The announcement of a choice often arrives before the write that logged it returns,
   * and whether it was this server's is known only then.
   */
  private readonly beingLogged = new Map<string, { writes: number; announced: bigint[] }>();
  /** Counts the feed's resyncs, so that a read spanning one keeps nothing. */
  private resyncs = 0;

  constructor(private readonly feed: ChangeFeed | undefined) {
    feed?.subscribe({
      choiceLogged: (sequence, customerId) => {
        this.noteForReadsInFlight(customerId, sequence);
        if (this.holds(customerId, sequence)) return;
        const logging = this.beingLogged.get(customerId);
        if (logging) logging.announced.push(sequence);
        else this.kept.delete(customerId);
      },
      resynced: () => {
        this.resyncs += 1;
        this.kept.clear();
      },
    });
  }

  /**
   * Runs `write`, which logs choices for these customers and hands each one it logged to `keep`, in log
   * order, before it is answered: the customer's next session may reach this server before the feed
   * announces it. A choice is added to what is kept for its customer if it comes right after the newest
   * choice kept for them, since then nothing was logged for them in between. Once the write is over, what
   * was announced for them meanwhile must be kept, or they are forgotten.
   */
  async whileLogging<T>(customerIds: Iterable<string>, write: (keep: KeepLogged) => Promise<T>): Promise<T> {
    const customers = new Set(customerIds);
    for (const customerId of customers) {
      const logging = this.beingLogged.get(customerId);
      if (logging) logging.writes += 1;
      else this.beingLogged.set(customerId, { writes: 1, announced: [] });
    }
    try {
      return await write((customerId, choice) => this.keepLogged(customerId, choice));
    } finally {
      for (const customerId of customers) {
        const logging = this.beingLogged.get(customerId);
        if (!logging || --logging.writes > 0) continue;
        this.beingLogged.delete(customerId);
        if (!logging.announced.every((sequence) => this.holds(customerId, sequence))) {
          this.kept.delete(customerId);
        }
      }
    }
  }

  private keepLogged(customerId: string, choice: LoggedChoice): void {
    this.noteForReadsInFlight(customerId, choice.sequence);
    const kept = this.kept.peek(customerId);
    const follows = kept && choice.customerChoiceNumber === (kept[0]?.customerChoiceNumber ?? 0) + 1;
    if (follows && this.feed?.live === true) {
      this.kept.set(customerId, [choice, ...kept.slice(0, CHOICES_CONSIDERED_FOR_SEGMENTATION - 1)]);
    } else {
      this.kept.delete(customerId);
    }
  }

  /**
   * How many choices the customer has logged, as far as what is kept for them tells; undefined when nothing
   * is. It may miss a choice whose announcement has yet to arrive: a writer relying on it must check it.
   */
  choicesLoggedBy(customerId: string): number | undefined {
    if (this.feed?.live !== true) return undefined;
    const kept = this.kept.peek(customerId);
    return kept && (kept[0]?.customerChoiceNumber ?? 0);
  }

  private holds(customerId: string, sequence: bigint): boolean {
    return includesChoice(this.kept.peek(customerId) ?? [], sequence);
  }

  private noteForReadsInFlight(customerId: string, sequence: bigint): void {
    for (const logged of this.loggedDuringReads) {
      const sequences = logged.get(customerId);
      if (sequences) sequences.push(sequence);
      else logged.set(customerId, [sequence]);
    }
  }

  /** Each customer's latest choices, newest first, as many as segmenting them considers; those not kept are read in one query. */
  async of(
    statements: PreparedStatements,
    customerIds: readonly string[],
  ): Promise<Map<string, readonly LoggedChoice[]>> {
    const found = new Map<string, readonly LoggedChoice[]>();
    const trusted = this.feed?.live === true;
    if (!trusted) this.kept.clear();
    const unread = customerIds.filter((customerId) => {
      const kept = this.kept.get(customerId);
      if (kept) found.set(customerId, kept);
      return !kept;
    });
    if (unread.length === 0) return found;

    const loggedMeanwhile = new Map<string, bigint[]>();
    const resyncsBefore = this.resyncs;
    this.loggedDuringReads.add(loggedMeanwhile);
    try {
      const read = await recentChoicesOfCustomers(statements, unread, CHOICES_CONSIDERED_FOR_SEGMENTATION);
      const keep = trusted && this.feed?.live === true && this.resyncs === resyncsBefore;
      for (const customerId of unread) {
        const choices = read.get(customerId) ?? [];
        found.set(customerId, choices);
        const holdsAllLogged = (loggedMeanwhile.get(customerId) ?? []).every((sequence) =>
          includesChoice(choices, sequence),
        );
        if (keep && holdsAllLogged) this.kept.set(customerId, choices);
      }
    } finally {
      this.loggedDuringReads.delete(loggedMeanwhile);
    }
    return found;
  }
}

function includesChoice(choices: readonly LoggedChoice[], sequence: bigint): boolean {
  return choices.some((choice) => choice.sequence === sequence);
}
