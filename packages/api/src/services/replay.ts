import { createHash } from 'node:crypto';
import {
  countLoggedChoices,
  type Database,
  deleteLearningSnapshots,
  insertLearningSnapshot,
  lockChoiceLog,
} from '@matchloop/db';
import { Learning, type LearningOptions } from './learning';

export interface ReplayResult {
  readonly choices: number;
  /** SHA-256 of the learned state in canonical form: equal logs give equal digests. */
  readonly digest: string;
}

/** Replaying a long log holds the log's lock for as long as it takes. */
const REPLAY_TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 3_600_000 } as const;

/**
 * Rebuilds the learned state from the choice log, the source of truth: the old checkpoints are dropped,
 * the log is folded again from its first choice, and one checkpoint of the result is stored. (Any earlier
 * version can be rebuilt the same way, by folding the log up to it.) New choices wait until it is done.
 */
export async function replayLearning(
  database: Database,
  options: LearningOptions,
  onProgress: (folded: number, total: number) => void = () => {},
): Promise<ReplayResult> {
  return database.prisma.$transaction(async (tx) => {
    await lockChoiceLog(tx);
    const total = await countLoggedChoices(tx);
    await deleteLearningSnapshots(tx);
    const learning = Learning.empty(options);
    await learning.catchUp(tx, () => onProgress(learning.events, total));
    if (learning.events > 0) await insertLearningSnapshot(tx, learning.checkpoint());
    const digest = createHash('sha256').update(learning.serialize()).digest('hex');
    return { choices: learning.events, digest };
  }, REPLAY_TRANSACTION_OPTIONS);
}
