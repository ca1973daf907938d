import { z } from 'zod';
import { interactionTypeSchema } from './domain';
import { manufacturerIdSchema, sessionIdSchema } from './session';
import { textSchema } from './text';

export const EXPLANATION_LEVELS = ['summary', 'factors', 'full'] as const;

export const recordInteractionInputSchema = z.strictObject({
  eventId: z.uuid().optional().describe('Client-chosen id: a retried event is stored once'),
  sessionId: sessionIdSchema,
  manufacturerId: manufacturerIdSchema,
  interactionType: interactionTypeSchema,
  timeSpentSeconds: z.number().nonnegative().max(86_400).optional(),
  viewedExplanationLevel: z.enum(EXPLANATION_LEVELS).optional(),
  expandedSections: z
    .array(textSchema({ min: 1, max: 100 }))
    .max(50)
    .optional(),
  helpfulRating: z.number().int().min(1).max(5).optional(),
});
export type RecordInteractionInput = z.infer<typeof recordInteractionInputSchema>;

export const recordInteractionOutputSchema = z.object({
  eventId: z.uuid(),
  sessionId: sessionIdSchema,
  recordedAt: z.date(),
});
export type RecordInteractionOutput = z.infer<typeof recordInteractionOutputSchema>;
