import { type FileHandle, link, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutboxContents, OutboxEvent, OutboxStore, RejectedEvent } from './outbox';

/** Thrown by `open` when another live process (or this one) already has an outbox on the file. */
export class OutboxFileInUseError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number,
  ) {
    super(
      `The outbox file ${path} is in use by process ${holderPid}. ` +
        'An outbox file belongs to one outbox at a time: give each process its own file.',
    );
    this.name = 'OutboxFileInUseError';
  }
}

/**
 * An outbox store in a file, for Node: an append-only journal of what happened to each event, one JSON
 * line per change. A new event is flushed to disk (fdatasync) before `record…` resolves, so it survives
 * the process being killed; events recorded together share one write and one flush.
 *
 * One outbox at a time may use a file. Opening it takes `<path>.lock`, which names the holder's pid: a
 * second outbox, in this process or another, is refused with `OutboxFileInUseError` for as long as the
 * holder lives, and a lock left by a process that died is taken over. The lock assumes the file is on a
 * local disk, seen by one machine.
 *
 * The journal is rewritten with only the events still pending or rejected when it is opened and whenever
 * most of it describes delivered events: into a new file, flushed, then renamed over the old one, so a
 * kill at any moment leaves one whole journal or the other.
 */
export function fileOutboxStore(path: string): OutboxStore {
  return new FileOutboxStore(path);
}

type JournalEntry =
  | { readonly add: OutboxEvent }
  | { readonly remove: string }
  | { readonly reject: RejectedEvent }
  | { readonly requeue: readonly string[] }
  | { readonly clearRejected: true };

/** Below this many entries the journal is never rewritten: small files are cheap to replay. */
const MIN_ENTRIES_TO_COMPACT = 1000;

interface UnwrittenEntry {
  readonly entry: JournalEntry;
  readonly line: string;
  readonly durable: boolean;
  readonly written: () => void;
  readonly failed: (error: unknown) => void;
}

class FileOutboxStore implements OutboxStore {
  readonly #path: string;
  readonly #pending = new Map<string, OutboxEvent>();
  readonly #rejected = new Map<string, RejectedEvent>();
  #journal: FileHandle | undefined;
  #journalEntries = 0;
  #unwritten: UnwrittenEntry[] = [];
  #writing = false;
  #allWritten: Promise<void> = Promise.resolve();
  #unlock: (() => Promise<void>) | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  async open(): Promise<OutboxContents> {
    if (this.#unlock) throw new Error(`This store already has ${this.#path} open`);
    this.#unlock = await lock(this.#path);
    try {
      for (const entry of await readJournal(this.#path)) this.#apply(entry);
      // Starts every outbox on a journal without delivered events, or a line cut short by a kill.
      await this.#compact();
    } catch (error) {
      await this.#unlock();
      this.#unlock = undefined;
      throw error;
    }
    return { pending: [...this.#pending.values()], rejected: [...this.#rejected.values()] };
  }

  add(event: OutboxEvent): Promise<void> {
    return this.#write({ add: event }, true);
  }

  // Losing the entries below to a crash only means an event is sent, or refused, once more.

  remove(id: string): Promise<void> {
    return this.#write({ remove: id }, false);
  }

  reject(rejection: RejectedEvent): Promise<void> {
    return this.#write({ reject: rejection }, false);
  }

  requeueRejected(ids: readonly string[]): Promise<void> {
    return this.#write({ requeue: ids }, true);
  }

  clearRejected(): Promise<void> {
    return this.#write({ clearRejected: true }, false);
  }

  async close(): Promise<void> {
    await this.#allWritten;
    await this.#journal?.close();
    this.#journal = undefined;
    await this.#unlock?.();
    this.#unlock = undefined;
  }

  #apply(entry: JournalEntry): void {
    if ('add' in entry) this.#pending.set(entry.add.id, entry.add);
    else if ('remove' in entry) this.#pending.delete(entry.remove);
    else if ('reject' in entry) {
      this.#pending.delete(entry.reject.event.id);
      this.#rejected.set(entry.reject.event.id, entry.reject);
    } else if ('requeue' in entry) {
      for (const id of entry.requeue) {
        const rejection = this.#rejected.get(id);
        if (rejection === undefined) continue;
        this.#rejected.delete(id);
        // Last in the map's order, which is the order events are delivered in.
        this.#pending.set(id, rejection.event);
      }
    } else this.#rejected.clear();
  }

  /** Appends the entry to the journal; what the store holds changes once it is written. */
  #write(entry: JournalEntry, durable: boolean): Promise<void> {
    return new Promise((written, failed) => {
      this.#unwritten.push({ entry, line: `${JSON.stringify(entry)}\n`, durable, written, failed });
      if (this.#writing) return;
      this.#writing = true;
      this.#allWritten = this.#writeUnwritten();
    });
  }

  /**
   * Writes the entries queued so far in one append and at most one flush, then those queued meanwhile,
   * until none are left.
   */
  async #writeUnwritten(): Promise<void> {
    try {
      while (this.#unwritten.length > 0) {
        const batch = this.#unwritten.splice(0);
        try {
          if (!this.#journal) throw new Error(`The outbox file ${this.#path} is not open`);
          await this.#journal.appendFile(batch.map(({ line }) => line).join(''));
          if (batch.some(({ durable }) => durable)) await this.#journal.datasync();
          this.#journalEntries += batch.length;
          for (const { entry, written } of batch) {
            this.#apply(entry);
            written();
          }
        } catch (error) {
          for (const { failed } of batch) failed(error);
        }
        const liveEntries = this.#pending.size + this.#rejected.size;
        if (this.#journalEntries >= MIN_ENTRIES_TO_COMPACT && this.#journalEntries > 2 * liveEntries) {
          // Housekeeping: if it fails, the journal as it is stays whole and in use.
          await this.#compact().catch(() => {});
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Replaces the journal by one holding only what is pending and rejected, as written so far. */
  async #compact(): Promise<void> {
    const entries: JournalEntry[] = [
      ...[...this.#pending.values()].map((add) => ({ add })),
      ...[...this.#rejected.values()].map((reject) => ({ reject })),
    ];
    const replacementPath = `${this.#path}.compacting`;
    const replacement = await open(replacementPath, 'w', 0o600);
    try {
      await replacement.writeFile(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await replacement.datasync();
      await rename(replacementPath, this.#path);
    } catch (error) {
      await replacement.close();
      await unlink(replacementPath).catch(() => {});
      throw error;
    }
    await syncDirectory(dirname(this.#path));
    await this.#journal?.close();
    this.#journal = replacement;
    this.#journalEntries = entries.length;
  }
}

/** The journal's entries; a last line without its newline was cut short by a kill and never acknowledged. */
async function readJournal(path: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line, index) => {
    try {
      return JSON.parse(line) as JournalEntry;
    } catch {
      throw new Error(`The outbox file ${path} is damaged: line ${index + 1} is not a journal entry`);
    }
  });
}

/** Makes a rename durable. Windows cannot open a directory, nor needs to. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Takes `<path>.lock` for this process; returns how to let go of it. */
async function lock(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  // Written beside the lock, then linked into place: a lock is never seen without its pid.
  const candidatePath = `${lockPath}.${process.pid}`;
  await writeFile(candidatePath, String(process.pid));
  try {
    for (;;) {
      try {
        await link(candidatePath, lockPath);
        return () => unlink(lockPath).catch(() => {});
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holderPid = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (isAlive(holderPid)) throw new OutboxFileInUseError(path, holderPid);
      await unlink(lockPath).catch(() => {});
    }
  } finally {
    await unlink(candidatePath).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
