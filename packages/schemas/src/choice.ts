import { z } from 'zod';
import { factorSchema, segmentSchema } from './domain';
import { manufacturerIdSchema, sessionIdSchema } from './session';
import { textSchema } from './text';

export const recordChoiceInputSchema = z.strictObject({
  sessionId: sessionIdSchema,
  chosenManufacturerId: manufacturerIdSchema
    .nullable()
    .describe('null: the customer chose none of the options'),
  reasoning: textSchema({ max: 5000 }).optional(),
  importantFactors: z
    .array(factorSchema)
    .max(6)
    .refine((factors) => new Set(factors).size === factors.length, 'Each factor may be named once')
    .optional()
    .describe('Factors the customer says mattered: kept as stated preferences, never used to move weights'),
  satisfaction: z.number().int().min(1).max(5).optional(),
  decisionTimeSeconds: z.number().nonnegative().max(31_536_000).optional(),
});
export type RecordChoiceInput = z.infer<typeof recordChoiceInputSchema>;

export const recordChoiceOutputSchema = z.object({
  sessionId: sessionIdSchema,
  chosenManufacturerId: z.string().nullable(),
  chosenRank: z.number().int().positive().nullable().describe('null when the customer chose none'),
  learning: z.object({
    segment: segmentSchema,
    weightsVersion: z.number().int().nonnegative(),
    sampleSize: z.number().int().nonnegative(),
    confidence: z.number().min(0).max(1),
  }),
});
export type RecordChoiceOutput = z.infer<typeof recordChoiceOutputSchema>;
