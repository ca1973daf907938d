import {
  alertsInputSchema,
  alertsOutputSchema,
  analyticsInputSchema,
  analyticsOutputSchema,
  healthOutputSchema,
  recordChoiceInputSchema,
  recordChoiceOutputSchema,
  recordInteractionInputSchema,
  recordInteractionOutputSchema,
  recordInteractionsInputSchema,
  recordInteractionsOutputSchema,
  startSessionInputSchema,
  startSessionOutputSchema,
  weightsInputSchema,
  weightsOutputSchema,
} from '@matchloop/schemas';
import { z } from 'zod';
import { checkedOnce } from '../checked-once';
import { assertActsFor, publicProcedure, router, scopedProcedure } from '../trpc';

const TAGS = ['feedback-learning'];

/** The endpoints of the product brief; each is mirrored as plain JSON REST at the same path. */
export const feedbackLearningRouter = router({
  startSession: scopedProcedure('ingest')
    .meta({
      openapi: {
        method: 'POST',
        path: '/feedback-learning/start-session',
        tags: TAGS,
        summary: 'Open a recommendation session and rank its candidates with the served weights',
        protect: true,
      },
    })
    .input(startSessionInputSchema)
    .output(startSessionOutputSchema)
    .mutation(({ ctx, input }) => {
      assertActsFor(ctx.principal, input.customerId);
      return ctx.services.feedback.startSession(input);
    }),

  recordChoice: scopedProcedure('ingest')
    .meta({
      openapi: {
        method: 'POST',
        path: '/feedback-learning/record-choice',
        tags: TAGS,
        summary: 'Record what the customer finally chose, or that they chose none',
        protect: true,
      },
    })
    .input(recordChoiceInputSchema)
    .output(recordChoiceOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.feedback.recordChoice(input, ctx.principal.customerId)),

  recordInteraction: scopedProcedure('ingest')
    .meta({
      openapi: {
        method: 'POST',
        path: '/feedback-learning/record-interaction',
        tags: TAGS,
        summary: 'Record what the customer did with one recommendation',
        protect: true,
      },
    })
    .input(recordInteractionInputSchema)
    .output(recordInteractionOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.feedback.recordInteraction(input, ctx.principal.customerId)),

  recordInteractions: scopedProcedure('ingest')
    .meta({
      openapi: {
        method: 'POST',
        path: '/feedback-learning/record-interactions',
        tags: TAGS,
        summary:
          'Record many interactions in one request; each is recorded or refused on its own, answered in order',
        protect: true,
      },
    })
    .input(recordInteractionsInputSchema)
    .output(recordInteractionsOutputSchema)
    .mutation(({ ctx, input }) => ctx.services.feedback.recordInteractions(input, ctx.principal.customerId)),

  analytics: scopedProcedure('admin')
    .meta({
      openapi: {
        method: 'GET',
        path: '/feedback-learning/analytics',
        tags: TAGS,
        summary:
          'Conversion, chosen rank, satisfaction and engagement by segment, complexity, weights source and day, with insights and firing alerts',
        protect: true,
      },
    })
    .input(analyticsInputSchema)
    .output(analyticsOutputSchema)
    .query(({ ctx, input }) => ctx.services.feedback.analytics(input)),

  weights: scopedProcedure('read')
    .meta({
      openapi: {
        method: 'GET',
        path: '/feedback-learning/weights',
        tags: TAGS,
        summary: 'The weights the matching engine should rank a segment with',
        protect: true,
      },
    })
    .input(weightsInputSchema)
    // Answered from memory: the answer remembered for a learner version is checked on its first read only.
    .output(checkedOnce(weightsOutputSchema))
    .query(({ ctx, input }) => ctx.services.feedback.weights(input)),

  alerts: scopedProcedure('admin')
    .meta({
      openapi: {
        method: 'GET',
        path: '/feedback-learning/alerts',
        tags: TAGS,
        summary: 'Alerts raised by the monitoring rules, firing and resolved, newest first',
        protect: true,
      },
    })
    .input(alertsInputSchema)
    .output(alertsOutputSchema)
    .query(({ ctx, input }) => ctx.services.feedback.alerts(input)),

  health: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/feedback-learning/health',
        tags: TAGS,
        summary: 'Liveness and a real database round trip, for load balancers (no key needed)',
      },
    })
    .input(z.void())
    .output(healthOutputSchema)
    .query(({ ctx }) => ctx.services.feedback.health()),
});
