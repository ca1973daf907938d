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
     * The customer opened a manufacturer's details. The caller picks `eventId` once per event and
     * sends the same one on every retry, so the event is stored once.
     */
    detailsOpened(eventId: string, manufacturerId: string, timeSpentSeconds: number) {
      return matchloop.feedbackLearning.recordInteraction.mutate({
        eventId,
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
