import { z } from 'zod';
import { segmentSchema } from './domain';
import { wholeNumberParameter } from './parameters';

/** The product brief's alerting thresholds, each a rule over a window of recent sessions. */
export const ALERT_RULES = [
  'low_conversion',
  'high_chosen_rank',
  'low_learning_confidence',
  'low_satisfaction',
] as const;
export const alertRuleSchema = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof alertRuleSchema>;

export const alertStatusSchema = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export const alertSchema = z.object({
  id: z.uuid(),
  rule: alertRuleSchema,
  segment: segmentSchema.nullable().describe('null: the whole marketplace'),
  status: alertStatusSchema,
  /** The figure that crossed the threshold when the alert was raised. */
  value: z.number(),
  threshold: z.number(),
  /** Sessions (or choices, for learning confidence) the figure rests on. */
  sampleSize: z.number().int().nonnegative(),
  message: z.string(),
  raisedAt: z.date(),
  resolvedAt: z.date().nullable(),
  /** The figure when the alert was resolved. */
  resolvedValue: z.number().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsInputSchema = z.strictObject({
  status: alertStatusSchema.optional().describe('Only firing, or only resolved, alerts'),
  limit: wholeNumberParameter({ min: 1, max: 500 }).default(100),
});
export type AlertsInput = z.infer<typeof alertsInputSchema>;

export const alertsOutputSchema = z.object({
  alerts: z.array(alertSchema).describe('Newest first'),
});
export type AlertsOutput = z.infer<typeof alertsOutputSchema>;
