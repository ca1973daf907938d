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

export async function insertLearningSnapshot(
  tx: Prisma.TransactionClient,
  rows: LearningSnapshotRow[],
): Promise<void> {
  await tx.learningWeights.createMany({ data: rows });
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
