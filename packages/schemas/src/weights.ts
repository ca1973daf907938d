import { z } from 'zod';
import { factorWeightsSchema, segmentSchema, weightsSourceSchema } from './domain';

export const weightsInputSchema = z.strictObject({
  segment: segmentSchema,
});
export type WeightsInput = z.infer<typeof weightsInputSchema>;

export const weightsOutputSchema = z.object({
  segment: segmentSchema,
  version: z.number().int().nonnegative(),
  source: weightsSourceSchema,
  confidence: z.number().min(0).max(1),
  sampleSize: z.number().int().nonnegative(),
  values: factorWeightsSchema.describe('The weights the matching engine should rank with'),
  defaults: factorWeightsSchema.describe('The segment’s documented default weights'),
});
export type WeightsOutput = z.infer<typeof weightsOutputSchema>;
