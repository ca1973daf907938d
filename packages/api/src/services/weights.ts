import type { WeightsInput, WeightsOutput } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';

/**
 * The weights the matching engine should rank a segment's customers with: the segment's documented
 * defaults until enough choices are learned from, then learned weights blended in by confidence.
 */
export async function servedWeights(
  { database, learning }: ServiceDependencies,
  { segment, minVersion }: WeightsInput,
): Promise<WeightsOutput> {
  await learning.refresh(database.prisma, minVersion);
  return learning.remember(`weights:${segment}`, () => {
    const { version, source, confidence, sampleSize, values, defaults } = learning.serve(segment);
    // Frozen: the same answer is served until the learner moves on, so the procedure checks it only once.
    return Object.freeze({
      segment,
      version,
      source,
      confidence,
      sampleSize,
      values,
      defaults,
      learned: learning.learnedWeights(segment),
      statedVsRevealed: learning.statedVsRevealed(segment),
    });
  });
}
