import { findShownSessions, type PreparedStatements, type ShownSession } from '@matchloop/db';
import { LRUCache } from 'lru-cache';

/**
 * Sessions remembered by a server: enough for every session a busy server opened in the last minutes, when
 * a customer's interactions with it and their choice arrive, at about 330 bytes each on the heap (800 when
 * each held a set of its manufacturers), and outside it 48 bytes for each option's factor scores.
 */
const RECENT_SESSIONS = 20_000;

/**
 * What each session showed (see `ShownSession`): what recording an interaction checks, and all that
 * recording a choice needs of its session besides the log. A stored session never changes, so what a server
 * remembers stays true whichever server records what next. The sessions it opens are remembered as they are
 * stored; any other is read from the database with the rest of its round, and remembered from then on. Only
 * sessions found are remembered: an id not stored yet may be stored later.
 */
export class ShownSessions {
  private readonly recent: LRUCache<string, ShownSession>;

  constructor(capacity = RECENT_SESSIONS) {
    this.recent = new LRUCache({ max: capacity });
  }

  /** A session this server has just stored. */
  remember(sessionId: string, shown: ShownSession): void {
    this.recent.set(sessionId.toLowerCase(), shown);
  }

  /** Each of these lower-case ids' session, if this server remembers them all; null otherwise. */
  remembered(ids: readonly string[]): Map<string, ShownSession> | null {
    const found = new Map<string, ShownSession>();
    for (const id of ids) {
      const shown = this.recent.get(id);
      if (!shown) return null;
      found.set(id, shown);
    }
    return found;
  }

  /** The stored sessions among these lower-case ids, by id; an id not stored is left out. */
  async find(statements: PreparedStatements, ids: readonly string[]): Promise<Map<string, ShownSession>> {
    const found = new Map<string, ShownSession>();
    const unknown: string[] = [];
    for (const id of ids) {
      const shown = this.recent.get(id);
      if (shown) found.set(id, shown);
      else unknown.push(id);
    }
    if (unknown.length === 0) return found;
    for (const [id, shown] of await findShownSessions(statements, unknown)) {
      this.recent.set(id, shown);
      found.set(id, shown);
    }
    return found;
  }
}
