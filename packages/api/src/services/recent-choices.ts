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

/**
 * Each customer's most recent choices, newest first, kept between their sessions, so that a returning
 * customer's session is opened without reading them again. A choice by any server is announced on the change
 * feed with its customer, and what was kept for that customer is forgotten; while the feed cannot vouch for
 * its announcements nothing is kept. A customer without choices is kept too, as none.
 */
export class RecentChoices {
  private readonly kept = new LRUCache<string, readonly LoggedChoice[]>({
    maxSize: CHOICES_KEPT,
    sizeCalculation: (choices) => choices.length + 1,
  });
  /**
   * For each read in flight, the customers announced since it began: what it found for them may predate
   * their new choice, whose announcement has come and gone.
   */
  private readonly announcedDuringReads = new Set<Set<string>>();
  /** Counts the feed's resyncs, so that a read spanning one keeps nothing. */
  private resyncs = 0;

  constructor(private readonly feed: ChangeFeed | undefined) {
    feed?.subscribe({
      customerChose: (customerId) => this.forget(customerId),
      resynced: () => {
        this.resyncs += 1;
        this.kept.clear();
      },
    });
  }

  /** Drops what is kept for a customer who has just chosen, as this server does before answering the choice. */
  forget(customerId: string): void {
    this.kept.delete(customerId);
    for (const announced of this.announcedDuringReads) announced.add(customerId);
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

    const announced = new Set<string>();
    const resyncsBefore = this.resyncs;
    this.announcedDuringReads.add(announced);
    try {
      const read = await recentChoicesOfCustomers(statements, unread, CHOICES_CONSIDERED_FOR_SEGMENTATION);
      const keep = trusted && this.feed?.live === true && this.resyncs === resyncsBefore;
      for (const customerId of unread) {
        const choices = read.get(customerId) ?? [];
        found.set(customerId, choices);
        if (keep && !announced.has(customerId)) this.kept.set(customerId, choices);
      }
    } finally {
      this.announcedDuringReads.delete(announced);
    }
    return found;
  }
}
