import { type Candidate, createMatchloopClient, type Segment } from '@matchloop/sdk';

/**
 * The matching service runs on our servers with a key holding `ingest` (to open sessions) and `read`
 * (to read the learned weights). That key must never reach a browser.
 */
export function createMatchingService(matchloopUrl: string, apiKey: string) {
  const matchloop = createMatchloopClient({ url: matchloopUrl, apiKey });

  return {
    /**
     * Opens a session for the manufacturers the engine found. Matchloop ranks them with the weights it
     * learned for this kind of customer and explains each rank. The caller picks `sessionId` once, with
     * the request it answers: should the matching service itself try again (after a restart, say), the
     * same id returns the first session instead of opening a second.
     */
    recommend(sessionId: string, customerId: string, candidates: Candidate[]) {
      return matchloop.feedbackLearning.startSession.mutate({
        sessionId,
        customerId,
        project: { complexity: 'moderate' },
        preferences: { budgetSensitivity: 0.9, urgency: 0.4 },
        candidates,
      });
    },

    /** The weights Matchloop serves for a segment, e.g. to rank inside the engine before a session. */
    weightsFor(segment: Segment) {
      return matchloop.feedbackLearning.weights.query({ segment });
    },
  };
}
