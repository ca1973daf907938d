import { localStorageOutboxStore, type MatchloopOutbox, openMatchloopOutbox } from '@matchloop/sdk';

/**
 * The marketplace page records what the customer does through an outbox kept in `localStorage`.
 * Recording returns as soon as the event is kept, and the outbox sends it in the background. An event it
 * could not send yet (the customer went offline, or left the page first) goes out from the next page of
 * the site that opens the outbox.
 */
export function openPageOutbox(matchloopUrl: string, ingestKey: string): Promise<MatchloopOutbox> {
  return openMatchloopOutbox({
    url: matchloopUrl,
    apiKey: ingestKey,
    store: localStorageOutboxStore(window.localStorage),
    onRejected: ({ event, status, message }) => {
      console.warn(`Matchloop refused a ${event.kind} (${status}): ${message}`);
    },
  });
}

/** The customer compared a manufacturer with the others for a while, then chose it. */
export async function comparedThenChose(
  outbox: MatchloopOutbox,
  sessionId: string,
  manufacturerId: string,
  timeSpentSeconds: number,
): Promise<void> {
  await outbox.recordInteraction({
    sessionId,
    manufacturerId,
    interactionType: 'compared',
    timeSpentSeconds,
  });
  await outbox.recordChoice({ sessionId, chosenManufacturerId: manufacturerId, satisfaction: 5 });
}
