import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { describeProblem } from './errors';

/** The dashboard is served by the Matchloop server it reports on, so the API is on the page's own origin. */
export function createDashboardClient(apiKey: string): MatchloopClient {
  return createMatchloopClient({ url: window.location.origin, apiKey });
}

/**
 * Checks that a key may read analytics before the dashboard is shown, by asking for an empty window
 * (from = to): the same scope as the dashboard's own queries, with nothing for the server to count.
 * It throws only when the key was refused or no answer came back. The server checks the key before it
 * runs the query, so any other failure means the key was accepted; the dashboard then shows that failure.
 */
export async function verifyAdminKey(client: MatchloopClient): Promise<void> {
  const now = new Date();
  try {
    await client.feedbackLearning.analytics.query({ from: now, to: now });
  } catch (error) {
    const problem = describeProblem(error);
    if (problem.keyRejected || !problem.answered) throw error;
  }
}
