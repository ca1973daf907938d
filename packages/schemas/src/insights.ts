import { z } from 'zod';
import { complexitySchema, segmentSchema } from './domain';

/** The product brief's insights: what an operator should look at, and why. */
export const INSIGHT_KINDS = [
  'low_conversion_segment',
  'high_converting_weights',
  'complexity_needs_improvement',
  'satisfaction_trend',
  'stated_revealed_gap',
] as const;
export const insightKindSchema = z.enum(INSIGHT_KINDS);
export type InsightKind = z.infer<typeof insightKindSchema>;

export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

export const insightSchema = z.object({
  kind: insightKindSchema,
  severity: severitySchema,
  segment: segmentSchema.nullable().describe('The segment it is about, if any'),
  complexity: complexitySchema.nullable().describe('The complexity level it is about, if any'),
  evidence: z.record(z.string(), z.number()).describe('The figures the insight rests on, by name'),
  message: z.string().describe('One sentence an operator understands'),
});
export type Insight = z.infer<typeof insightSchema>;
