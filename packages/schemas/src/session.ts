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
import { isStorableText, textSchema, UNSTORABLE_TEXT_MESSAGE } from './text';

export const customerIdSchema = textSchema({ min: 1, max: 200 });
export const manufacturerIdSchema = textSchema({ min: 1, max: 200 });
export const sessionIdSchema = z.uuid();

export const candidateSchema = z.strictObject({
  manufacturerId: manufacturerIdSchema,
  factors: factorScoresSchema,
});
export type Candidate = z.infer<typeof candidateSchema>;

export const MAX_CANDIDATES = 100;

/** Metadata is context kept beside a session, not data to analyse: a little, and shallow. */
export const METADATA_MAX_CHARACTERS = 8192;
export const METADATA_MAX_DEPTH = 5;

type JsonValue = z.core.util.JSONType;

/**
 * Free-form context the caller keeps with a session, stored as sent: at most METADATA_MAX_CHARACTERS as JSON,
 * objects and arrays nested at most METADATA_MAX_DEPTH deep (the metadata object itself included), and only
 * text the database can store.
 */
export const metadataSchema = z
  .record(z.string().max(100).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE), z.json())
  .superRefine((metadata, ctx) => {
    if (JSON.stringify(metadata).length > METADATA_MAX_CHARACTERS) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `Metadata may take at most ${METADATA_MAX_CHARACTERS} characters as JSON`,
      });
    }
    const check = (value: JsonValue, path: (string | number)[], depth: number): void => {
      if (typeof value === 'string' && !isStorableText(value)) {
        ctx.addIssue({ code: 'custom', path, message: UNSTORABLE_TEXT_MESSAGE });
      }
      if (typeof value !== 'object' || value === null) return;
      if (depth > METADATA_MAX_DEPTH) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `Metadata may nest objects and arrays at most ${METADATA_MAX_DEPTH} deep`,
        });
        return;
      }
      const entries: [string | number, JsonValue][] = Array.isArray(value)
        ? value.map((item, index) => [index, item])
        : Object.entries(value);
      for (const [key, item] of entries) {
        // The record's key schema has checked the keys at the top.
        if (typeof key === 'string' && depth > 1 && !isStorableText(key)) {
          ctx.addIssue({ code: 'custom', path: [...path, key], message: UNSTORABLE_TEXT_MESSAGE });
        }
        check(item, [...path, key], depth + 1);
      }
    };
    check(metadata, [], 1);
  })
  .describe(
    `Free-form context kept with the session: at most ${METADATA_MAX_CHARACTERS} characters as JSON, objects and arrays nested at most ${METADATA_MAX_DEPTH} deep`,
  );

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
  algorithmVersion: textSchema({ min: 1, max: 100 }).optional(),
  metadata: metadataSchema.optional(),
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
