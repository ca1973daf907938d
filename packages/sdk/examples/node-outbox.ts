import { type MatchloopOutbox, openMatchloopOutbox } from '@matchloop/sdk';
import { fileOutboxStore } from '@matchloop/sdk/node';

/**
 * The marketplace's web server passes on what customers do to Matchloop through an outbox kept in a
 * file. A page's request waits only until the event is on disk; events recorded while Matchloop cannot
 * be reached, or before the web server was restarted, are delivered once it can be, so shutting down
 * needs only `outbox.close()`. The file belongs to this process alone: a second process opening it is
 * refused.
 */
export function openServerOutbox(
  matchloopUrl: string,
  ingestKey: string,
  file: string,
): Promise<MatchloopOutbox> {
  return openMatchloopOutbox({
    url: matchloopUrl,
    apiKey: ingestKey,
    store: fileOutboxStore(file),
    onRejected: ({ event, status, message }) => {
      console.error(`Matchloop refused ${event.kind} ${event.id} (${status}): ${message}`);
    },
  });
}
