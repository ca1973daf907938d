import type { Prisma } from '../generated/prisma/client';

/** One scope's part of a learner checkpoint. */
export interface LearningSnapshotRow {
  scope: string;
  version: number;
  choiceSequence: bigint;
  weights: Prisma.InputJsonValue;
  posterior: Prisma.InputJsonValue;
  sampleSize: number;
  confidence: number;
  metrics: Prisma.InputJsonValue;
}

/**
 * One statement with the rows as a single json parameter. Prisma's createMany spent some 10 ms of the event
 * loop turning a checkpoint's 26 kB of nested json into query arguments, and every request waited behind it.
 */
export async function insertLearningSnapshot(
  tx: Prisma.TransactionClient,
  rows: LearningSnapshotRow[],
): Promise<void> {
  const json = JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  await tx.$executeRaw`
    INSERT INTO "LearningWeights"
      (id, scope, version, "choiceSequence", weights, posterior, "sampleSize", confidence, metrics)
    SELECT gen_random_uuid(), r.scope, r.version, r."choiceSequence", r.weights, r.posterior, r."sampleSize",
           r.confidence, r.metrics
    FROM jsonb_to_recordset(${json}::jsonb) AS r(
      scope text, version int, "choiceSequence" bigint, weights jsonb, posterior jsonb, "sampleSize" int,
      confidence float8, metrics jsonb)`;
}

/** Every scope of the newest checkpoint, or an empty list before the first. */
export async function latestLearningSnapshot(
  prisma: Prisma.TransactionClient,
): Promise<LearningSnapshotRow[]> {
  const newest = await prisma.learningWeights.findFirst({
    where: { scope: 'global' },
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  if (!newest) return [];
  return prisma.learningWeights.findMany({ where: { version: newest.version } }) as Promise<
    LearningSnapshotRow[]
  >;
}

export async function deleteLearningSnapshots(tx: Prisma.TransactionClient): Promise<void> {
  await tx.learningWeights.deleteMany();
}
