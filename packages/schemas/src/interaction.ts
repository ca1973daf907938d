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

/** What one request may carry: a page's backlog, or several, checked and stored together in one round. */
export const MAX_INTERACTIONS_PER_REQUEST = 500;

export const recordInteractionsInputSchema = z.strictObject({
  interactions: z.array(recordInteractionInputSchema).min(1).max(MAX_INTERACTIONS_PER_REQUEST),
});
export type RecordInteractionsInput = z.infer<typeof recordInteractionsInputSchema>;

/** Why one interaction of many was not recorded: what recordInteraction would have refused it with. */
export const interactionRefusalSchema = z.object({
  code: z
    .enum(['NOT_FOUND', 'BAD_REQUEST', 'CONFLICT'])
    .describe(
      'NOT_FOUND: no such session (for this key); BAD_REQUEST: the manufacturer was not shown in it; ' +
        'CONFLICT: the event id was already recorded with different content',
    ),
  message: z.string(),
});
export type InteractionRefusal = z.infer<typeof interactionRefusalSchema>;

export const interactionResultSchema = z.discriminatedUnion('outcome', [
  recordInteractionOutputSchema.extend({ outcome: z.literal('recorded') }),
  z.object({ outcome: z.literal('refused'), error: interactionRefusalSchema }),
]);
export type InteractionResult = z.infer<typeof interactionResultSchema>;

export const recordInteractionsOutputSchema = z.object({
  results: z
    .array(interactionResultSchema)
    .describe('One per interaction sent, in the same order; a retried interaction answers as the first time'),
});
export type RecordInteractionsOutput = z.infer<typeof recordInteractionsOutputSchema>;
