import { randomBytes } from 'node:crypto';
import { type DatabaseTarget, openDatabase } from '@matchloop/db';
import type { LoadTarget } from './load';

/**
 * Random bytes in a row's payload, written as 4,700 base64 characters. Each commit then adds 5.3 KB to
 * PostgreSQL's write-ahead log, with the row's toast and index entries and the commit record: as much as a
 * started session adds (5.3 KB a session, measured over 2,000), so that each waits on a flush as large.
 * Random text barely compresses, so the row reaches the log at about its own size.
 */
const PAYLOAD_RANDOM_BYTES = 3_525;

const CREATE_TABLE =
  'CREATE TABLE IF NOT EXISTS commit_baseline (id bigserial PRIMARY KEY, payload text NOT NULL)';
const INSERT_ROW = { name: 'commit-baseline', text: 'INSERT INTO commit_baseline (payload) VALUES ($1)' };

export interface CommitBaseline {
  /** Each request is one row inserted and committed on its own. */
  readonly target: LoadTarget;
  close(): Promise<void>;
}

/**
 * The floor under every write procedure's latency: a bare commit on a database of the same kind, on the
 * same disk, through the driver path Matchloop's hot statements take. A commit returns once its log is
 * flushed to disk, so a slow flush holds every durable write, Matchloop's or not.
 */
export async function openCommitBaseline(target: DatabaseTarget): Promise<CommitBaseline> {
  const database = await openDatabase(target);
  try {
    await database.prisma.$executeRawUnsafe(CREATE_TABLE);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    target: {
      name: 'commit',
      connect: () => async () => {
        const payload = randomBytes(PAYLOAD_RANDOM_BYTES).toString('base64');
        await database.statements.run<[string], never>(INSERT_ROW, [payload]);
      },
    },
    close: () => database.close(),
  };
}
