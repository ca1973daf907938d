import { z } from 'zod';
import {
  complexitySchema,
  factorSchema,
  factorScoresSchema,
  factorWeightsSchema,
  preferencesSchema,
  segmentSchema,
  segmentSourceSchema,
  weightsSourceSchema,
} from './domain';

export const customerIdSchema = z.string().trim().min(1).max(200);
export const manufacturerIdSchema = z.string().trim().min(1).max(200);
export const sessionIdSchema = z.uuid();

export const candidateSchema = z.strictObject({
  manufacturerId: manufacturerIdSchema,
  factors: factorScoresSchema,
});
export type Candidate = z.infer<typeof candidateSchema>;

export const MAX_CANDIDATES = 100;

export const startSessionInputSchema = z.strictObject({
  sessionId: sessionIdSchema
    .optional()
    .describe('Client-chosen id: a retried request returns the first result'),
  customerId: customerIdSchema,
  project: z
    .strictObject({
      complexity: complexitySchema,
      complexityScore: z.number().min(0).max(1).optional(),
    })
    .optional(),
  preferences: preferencesSchema.optional(),
  candidates: z
    .array(candidateSchema)
    .min(1)
    .max(MAX_CANDIDATES)
    .superRefine((candidates, ctx) => {
      const seen = new Set<string>();
      candidates.forEach((candidate, index) => {
        if (seen.has(candidate.manufacturerId)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'manufacturerId'],
            message: `Manufacturer ${candidate.manufacturerId} is listed more than once`,
          });
        }
        seen.add(candidate.manufacturerId);
      });
    }),
  order: z
    .enum(['ranked', 'as_given'])
    .default('ranked')
    .describe('"ranked": Matchloop ranks with the learned weights; "as_given": already shown in this order'),
  algorithmVersion: z.string().trim().min(1).max(100).optional(),
  metadata: z.record(z.string().max(100), z.json()).optional(),
});
export type StartSessionInput = z.input<typeof startSessionInputSchema>;
export type StartSessionRequest = z.output<typeof startSessionInputSchema>;

export const explanationSchema = z.object({
  contributions: factorScoresSchema.describe('Each factor’s share of the score: weight × factor score'),
  topFactors: z.array(factorSchema),
  summary: z.string(),
});
export type Explanation = z.infer<typeof explanationSchema>;

export const servedWeightsSchema = z.object({
  version: z
    .number()
    .int()
    .nonnegative()
    .describe('The learned-state version; 0 means the documented defaults'),
  source: weightsSourceSchema,
  confidence: z.number().min(0).max(1),
  values: factorWeightsSchema,
});
export type ServedWeights = z.infer<typeof servedWeightsSchema>;

export const recommendationSchema = z.object({
  manufacturerId: z.string(),
  rank: z.number().int().positive(),
  score: z.number(),
  predictedChoiceProbability: z.number().min(0).max(1),
  explanation: explanationSchema,
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const startSessionOutputSchema = z.object({
  sessionId: sessionIdSchema,
  segment: segmentSchema,
  segmentSource: segmentSourceSchema,
  weights: servedWeightsSchema,
  recommendations: z.array(recommendationSchema),
});
export type StartSessionOutput = z.infer<typeof startSessionOutputSchema>;
