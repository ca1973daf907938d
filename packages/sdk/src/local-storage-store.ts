import type { OutboxContents, OutboxEvent, OutboxStore, RejectedEvent } from './outbox';

/** What an outbox needs of the Web Storage API: `localStorage`, or anything shaped like it. */
export interface WebStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * An outbox store in the browser's `localStorage` (or any `WebStorage`), under keys starting with
 * `name/`. Each event is an item of its own, so that pages of the same site sharing the name never
 * overwrite each other's events: an outbox opened in any of them delivers what the others left
 * undelivered when they closed. Two tabs open at once may then both send an event they both loaded;
 * the server stores it once, by its id.
 *
 * `setItem` throws when the site's storage quota is full; `record…` then rejects and nothing is kept.
 */
export function localStorageOutboxStore(storage: WebStorage, name = 'matchloop-outbox'): OutboxStore {
  const pendingPrefix = `${name}/pending/`;
  const rejectedPrefix = `${name}/rejected/`;
  /** Where each pending event this store knows of is kept. */
  const pendingKeys = new Map<string, string>();
  let added = 0;

  const keysStartingWith = (prefix: string): string[] => {
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    return keys;
  };
  const read = <Value>(key: string): Value => JSON.parse(storage.getItem(key) as string) as Value;
  const forgetPending = (id: string): void => {
    const key = pendingKeys.get(id);
    if (key !== undefined) storage.removeItem(key);
    pendingKeys.delete(id);
  };

  /** Keeps `event` as pending, ordered among the others by `since`: when it was recorded, or sent back. */
  const keepPending = (event: OutboxEvent, since: string): void => {
    // ISO 8601 times sort as text; the counter orders events kept within one millisecond.
    const key = `${pendingPrefix}${since}/${String(added++).padStart(9, '0')}/${event.id}`;
    storage.setItem(key, JSON.stringify(event));
    pendingKeys.set(event.id, key);
  };

  return {
    async open(): Promise<OutboxContents> {
      const rejected = keysStartingWith(rejectedPrefix).map((key) => read<RejectedEvent>(key));
      const rejectedIds = new Set(rejected.map(({ event }) => event.id));
      const pending: OutboxEvent[] = [];
      // Keys sort in the order their events were recorded (see `add`).
      for (const key of keysStartingWith(pendingPrefix).sort()) {
        const event = read<OutboxEvent>(key);
        // A page closed between setting an event aside and forgetting it as pending left it in both.
        if (rejectedIds.has(event.id)) storage.removeItem(key);
        else {
          pendingKeys.set(event.id, key);
          pending.push(event);
        }
      }
      rejected.sort((a, b) => a.rejectedAt.localeCompare(b.rejectedAt));
      return { pending, rejected };
    },

    async add(event) {
      keepPending(event, event.recordedAt);
    },

    async remove(id) {
      forgetPending(id);
    },

    async reject(rejection) {
      storage.setItem(`${rejectedPrefix}${rejection.event.id}`, JSON.stringify(rejection));
      forgetPending(rejection.event.id);
    },

    async requeueRejected(ids) {
      const now = new Date().toISOString();
      for (const id of ids) {
        const key = `${rejectedPrefix}${id}`;
        if (storage.getItem(key) === null) continue;
        keepPending(read<RejectedEvent>(key).event, now);
        // A page closed before this line leaves the event in both; `open` then keeps it refused.
        storage.removeItem(key);
      }
    },

    async clearRejected() {
      for (const key of keysStartingWith(rejectedPrefix)) storage.removeItem(key);
    },

    async close() {
      pendingKeys.clear();
    },
  };
}
