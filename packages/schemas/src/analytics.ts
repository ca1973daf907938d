import { z } from 'zod';
import { complexitySchema, segmentSchema } from './domain';
import { statedVsRevealedSchema } from './weights';

export const analyticsInputSchema = z
  .strictObject({
    from: z.coerce.date().optional().describe('Sessions started at or after this instant'),
    to: z.coerce.date().optional().describe('Sessions started before this instant'),
    segment: segmentSchema.optional(),
    complexity: complexitySchema.optional(),
  })
  .refine(({ from, to }) => !from || !to || from <= to, {
    message: '`from` must not be after `to`',
    path: ['from'],
  });
export type AnalyticsInput = z.infer<typeof analyticsInputSchema>;

/** One set of outcome figures; averages are null when there is nothing to average. */
export const outcomeFiguresSchema = z.object({
  sessions: z.number().int().nonnegative(),
  choices: z.number().int().nonnegative().describe('Sessions in which a manufacturer was chosen'),
  conversionRate: z.number().min(0).max(1).nullable().describe('choices / sessions'),
  averageChosenRank: z.number().nullable(),
  averageSatisfaction: z.number().nullable(),
  averageDecisionTimeSeconds: z.number().nullable(),
});
export type OutcomeFigures = z.infer<typeof outcomeFiguresSchema>;

export const segmentFiguresSchema = outcomeFiguresSchema.extend({
  segment: segmentSchema,
  learningConfidence: z.number().min(0).max(1),
  sampleSize: z.number().int().nonnegative(),
  statedVsRevealed: statedVsRevealedSchema,
});
export type SegmentFigures = z.infer<typeof segmentFiguresSchema>;

export const complexityFiguresSchema = outcomeFiguresSchema.extend({
  complexity: complexitySchema.nullable().describe('null: sessions sent without a project complexity'),
});
export type ComplexityFigures = z.infer<typeof complexityFiguresSchema>;

export const analyticsOutputSchema = z.object({
  overall: outcomeFiguresSchema,
  bySegment: z.array(segmentFiguresSchema),
  byComplexity: z.array(complexityFiguresSchema),
});
export type AnalyticsOutput = z.infer<typeof analyticsOutputSchema>;
