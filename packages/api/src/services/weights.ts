import type { Segment, WeightsOutput } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';

/**
 * The weights the matching engine should rank a segment's customers with: the segment's documented
 * defaults until enough choices are learned from, then learned weights blended in by confidence.
 */
export async function servedWeights(
  { database, learning }: ServiceDependencies,
  segment: Segment,
): Promise<WeightsOutput> {
  await learning.catchUp(database.prisma);
  const { version, source, confidence, sampleSize, values, defaults } = learning.serve(segment);
  const stated = learning.statedVsRevealed(segment);
  return {
    segment,
    version,
    source,
    confidence,
    sampleSize,
    values,
    defaults,
    learned: learning.learnedWeights(segment),
    statedVsRevealed: stated,
  };
}
