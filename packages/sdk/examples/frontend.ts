import { createMatchloopClient, type Factor } from '@matchloop/sdk';

/**
 * The marketplace page reports what the customer does with one session's recommendations. Its key
 * holds only the `ingest` scope: it can record events but read nothing back, so it is safe to ship to
 * browsers.
 */
export function createFeedbackReporter(matchloopUrl: string, ingestKey: string, sessionId: string) {
  const matchloop = createMatchloopClient({ url: matchloopUrl, apiKey: ingestKey });

  return {
    /**
     * The customer opened a manufacturer's details. The client gives the event its `eventId` before
     * sending it, so the retries it makes after a failure are stored once.
     */
    detailsOpened(manufacturerId: string, timeSpentSeconds: number) {
      return matchloop.feedbackLearning.recordInteraction.mutate({
        sessionId,
        manufacturerId,
        interactionType: 'expanded',
        timeSpentSeconds,
        viewedExplanationLevel: 'factors',
        expandedSections: ['certifications'],
      });
    },

    /** The customer picked a manufacturer, or `null`: none of them. A session takes one choice. */
    chose(manufacturerId: string | null, importantFactors: Factor[], satisfaction: number) {
      return matchloop.feedbackLearning.recordChoice.mutate({
        sessionId,
        chosenManufacturerId: manufacturerId,
        importantFactors,
        satisfaction,
      });
    },
  };
}
