import { z } from 'zod';
import { alertSchema } from './alerts';
import { complexitySchema, segmentSchema, weightsSourceSchema } from './domain';
import { insightSchema } from './insights';
import { statedVsRevealedSchema } from './weights';

/** Years 1 to 9999, the years an ISO 8601 date spells with four digits; the database stores no earlier ones. */
const instantSchema = z.coerce
  .date({ error: 'Expected a date or a date-time, e.g. 2025-01-31 or 2025-01-31T09:00:00Z' })
  .min(new Date('0001-01-01T00:00:00.000Z'), 'Must be in year 1 or later')
  .max(new Date('9999-12-31T23:59:59.999Z'), 'Must be in year 9999 or earlier');

export const analyticsInputSchema = z
  .strictObject({
    from: instantSchema.optional().describe('Sessions started at or after this instant'),
    to: instantSchema.optional().describe('Sessions started before this instant'),
    segment: segmentSchema.optional(),
    complexity: complexitySchema.optional(),
  })
  .refine(({ from, to }) => !from || !to || from <= to, {
    message: '`from` must not be after `to`',
    path: ['from'],
  });
export type AnalyticsInput = z.infer<typeof analyticsInputSchema>;

const perSession = z.number().nonnegative();

/** One set of outcome figures; averages are null when there is nothing to average. */
export const outcomeFiguresSchema = z.object({
  sessions: z.number().int().nonnegative(),
  choices: z.number().int().nonnegative().describe('Sessions in which a manufacturer was chosen'),
  conversionRate: z.number().min(0).max(1).nullable().describe('choices / sessions'),
  averageChosenRank: z.number().nullable(),
  chosenRankDistribution: z
    .array(z.object({ rank: z.number().int().positive(), choices: z.number().int().positive() }))
    .describe('How many choices went to each presented rank, ranks ascending; unchosen ranks are left out'),
  averageSatisfaction: z.number().nullable().describe('1–5, over choices that rated it'),
  averageDecisionTimeSeconds: z.number().nullable(),
  averageHelpfulRating: z.number().nullable().describe('1–5, over interactions that rated the explanation'),
  interactionsPerSession: z.object({
    viewed: perSession,
    expanded: perSession,
    compared: perSession,
    contacted: perSession,
  }),
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

export const weightsSourceFiguresSchema = outcomeFiguresSchema.extend({
  source: weightsSourceSchema.describe('What the sessions were ranked with'),
});
export type WeightsSourceFigures = z.infer<typeof weightsSourceFiguresSchema>;

/** One UTC day of the window. */
export const dailyFiguresSchema = z.object({
  date: z.iso.date(),
  sessions: z.number().int().nonnegative(),
  choices: z.number().int().nonnegative(),
  conversionRate: z.number().min(0).max(1).nullable(),
  averageChosenRank: z.number().nullable(),
  averageSatisfaction: z.number().nullable(),
});
export type DailyFigures = z.infer<typeof dailyFiguresSchema>;

export const analyticsOutputSchema = z.object({
  overall: outcomeFiguresSchema,
  bySegment: z.array(segmentFiguresSchema),
  byComplexity: z.array(complexityFiguresSchema),
  byWeightsSource: z
    .array(weightsSourceFiguresSchema)
    .describe('Sessions ranked with default, blended and learned weights, side by side'),
  daily: z.array(dailyFiguresSchema).describe('Days with sessions, oldest first'),
  insights: z.array(insightSchema),
  alerts: z.array(alertSchema).describe('Alerts firing now'),
});
export type AnalyticsOutput = z.infer<typeof analyticsOutputSchema>;
