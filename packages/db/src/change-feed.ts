import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What a server holds in memory and must hear about when another process changes it. */
export interface ChangeListener {
  /** This customer's choice was logged at this sequence. */
  choiceLogged?(sequence: bigint, customerId: string): void;
  /** The API key with this shown prefix was created, revoked or changed. */
  apiKeyChanged?(prefix: string): void;
  /** Changes may have gone unannounced (the feed was down): forget whatever was cached. */
  resynced?(): void;
}

/**
 * Announcements of committed changes, from the triggers of the change_notifications migration, so that a
 * server can keep the learner and the API keys in memory without asking the database on every request.
 * While `live` is false some announcement may be missing, and memory must not be trusted.
 */
export interface ChangeFeed {
  readonly live: boolean;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

/** A choice is announced as `sequence:customerId`, by the trigger of migration 20261206013000. */
const CHANNELS = {
  choices: 'matchloop_choices',
  apiKeys: 'matchloop_api_keys',
} as const;
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000] as const;

class Listeners {
  private readonly listeners = new Set<ChangeListener>();

  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(channel: string, payload: string | undefined): void {
    if (channel === CHANNELS.choices) {
      const [sequence, customerId] = splitAtFirst(payload ?? '', ':');
      for (const listener of this.listeners) listener.choiceLogged?.(BigInt(sequence), customerId);
    } else if (channel === CHANNELS.apiKeys) {
      for (const listener of this.listeners) listener.apiKeyChanged?.(payload ?? '');
    }
  }

  resync(): void {
    for (const listener of this.listeners) listener.resynced?.();
  }
}

/** A customer's id may hold the separator, a sequence never does. */
function splitAtFirst(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

/** PGlite runs inside this process, which is the only one that can open it: nothing goes unannounced. */
export async function pgliteChangeFeed(pglite: PGlite): Promise<ChangeFeed> {
  const listeners = new Listeners();
  const unlisten = await Promise.all(
    Object.values(CHANNELS).map((channel) =>
      pglite.listen(channel, (payload) => listeners.announce(channel, payload)),
    ),
  );
  return {
    live: true,
    subscribe: (listener) => listeners.add(listener),
    async close() {
      await Promise.all(unlisten.map((stop) => stop()));
    },
  };
}

/**
 * One dedicated PostgreSQL connection LISTENing for the whole server. If it drops, the feed is not live
 * until it has reconnected, and then tells every listener to resync, since announcements made in between
 * are lost for good.
 */
export async function postgresChangeFeed(url: string): Promise<ChangeFeed> {
  const listeners = new Listeners();
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let attempt = 0;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', ({ channel, payload }) => listeners.announce(channel, payload));
    next.on('error', () => dropped(next));
    next.on('end', () => dropped(next));
    try {
      await next.connect();
      for (const channel of Object.values(CHANNELS)) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
    attempt = 0;
    live = true;
    listeners.resync();
  }

  function dropped(connection: pg.Client): void {
    if (connection !== client) return;
    client = undefined;
    live = false;
    void connection.end().catch(() => {});
    reconnectLater();
  }

  function reconnectLater(): void {
    if (closed) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)];
    attempt += 1;
    setTimeout(() => {
      if (!closed) connect().catch(reconnectLater);
    }, delay).unref();
  }

  await connect().catch(reconnectLater);
  return {
    get live() {
      return live;
    },
    subscribe: (listener) => listeners.add(listener),
    async close() {
      closed = true;
      live = false;
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
