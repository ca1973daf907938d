import { z } from 'zod';
import { factorSchema, factorWeightsSchema, segmentSchema, weightsSourceSchema } from './domain';
import { wholeNumberParameter } from './parameters';

export const weightsInputSchema = z.strictObject({
  segment: segmentSchema,
  /**
   * Read your own writes: the weights of at least this learner version, e.g. the `weightsVersion` a
   * recordChoice just returned. Without it, a server may answer from memory a few milliseconds behind a
   * choice another server has just acknowledged.
   */
  minVersion: wholeNumberParameter({ min: 0, max: Number.MAX_SAFE_INTEGER }).optional(),
});
export type WeightsInput = z.infer<typeof weightsInputSchema>;

/**
 * What customers say matters beside what their choices show. The stated share (customers naming the
 * factor) and the revealed weight are on different scales: compare them by rank, not by difference.
 */
export const statedVsRevealedSchema = z.object({
  statements: z
    .number()
    .int()
    .nonnegative()
    .describe('Choices in which the customer named important factors'),
  factors: z.array(
    z.object({
      factor: factorSchema,
      mentions: z.number().int().nonnegative(),
      statedShare: z.number().min(0).max(1),
      revealedWeight: z.number().min(0).max(1).nullable().describe('null before the first choice'),
    }),
  ),
});
export type StatedVsRevealed = z.infer<typeof statedVsRevealedSchema>;

export const weightsOutputSchema = z.object({
  segment: segmentSchema,
  version: z.number().int().nonnegative(),
  source: weightsSourceSchema,
  confidence: z.number().min(0).max(1),
  sampleSize: z.number().int().nonnegative(),
  values: factorWeightsSchema.describe('The weights the matching engine should rank with'),
  defaults: factorWeightsSchema.describe('The segment’s documented default weights'),
  learned: z
    .object({
      values: factorWeightsSchema.describe('w = β/Σβ as learned, before blending and bounds'),
      standardErrors: z
        .record(factorSchema, z.number().nonnegative().nullable())
        .describe('Delta-method standard errors of the learned weights; null where the data cannot tell'),
    })
    .nullable()
    .describe('null before the segment’s first choice'),
  statedVsRevealed: statedVsRevealedSchema,
});
export type WeightsOutput = z.infer<typeof weightsOutputSchema>;
