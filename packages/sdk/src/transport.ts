import type { AppRouter } from '@matchloop/api/router';
import { transformer } from '@matchloop/schemas/transformer';
import { httpBatchLink, httpLink, type Operation, splitLink, type TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';

/** A batch names every procedure in its URL; bounded batches keep that URL within what servers accept. */
const MAX_BATCH_URL_LENGTH = 4000;
const MAX_BATCH_ITEMS = 50;
/** Marks, in a call's context, a call made together with others, for the split to send it batched. */
const MADE_TOGETHER = 'matchloopMadeTogether';

export interface TransportOptions {
  /** The server's base URL; calls go to `<url>/trpc`. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly fetch: typeof globalThis.fetch | undefined;
}

/**
 * How calls travel: a call made on its own leaves at once, in an HTTP request of its own, and calls made
 * together, in the same run of code as `Promise.all`'s are, travel in one. tRPC's batch link by itself holds
 * every call for a timer before it sends anything, so that calls of the same tick can join it, and Node
 * holds such a timer for at least a millisecond. Every call of the matching service paid that, alone as each
 * is: 1.4 ms of a session start's 3.7 ms at the median, at 200 starts a second.
 */
export function httpTransport({ url, authorization, fetch }: TransportOptions): TRPCLink<AppRouter>[] {
  const request = {
    url: `${url.replace(/\/+$/, '')}/trpc`,
    transformer,
    headers: () => (authorization ? { authorization } : {}),
    fetch,
  };
  return [
    gatherCallsMadeTogether(),
    splitLink({
      condition: (op) => op.context[MADE_TOGETHER] === true,
      true: httpBatchLink({
        ...request,
        maxURLLength: MAX_BATCH_URL_LENGTH,
        maxItems: MAX_BATCH_ITEMS,
      }),
      false: httpLink(request),
    }),
  ];
}

/** A call waiting for the current run of code to end, to learn whether it was made alone. */
interface GatheredCall {
  /** Whether its caller gave it up (unsubscribed) before it was passed on. */
  givenUp: boolean;
  send(madeTogether: boolean): void;
}

/**
 * Holds each call until the current run of code has ended (a microtask), then passes on every call made
 * meanwhile, each marked with whether others were made with it. A call given up before then is dropped, and
 * does not count as made together with the others.
 */
function gatherCallsMadeTogether(): TRPCLink<AppRouter> {
  return () => {
    let gathered: GatheredCall[] = [];
    const passOn = () => {
      const wanted = gathered.filter(({ givenUp }) => !givenUp);
      gathered = [];
      const madeTogether = wanted.length > 1;
      for (const call of wanted) call.send(madeTogether);
    };
    return ({ op, next }) =>
      observable((observer) => {
        let sent: Unsubscribable | undefined;
        const call: GatheredCall = {
          givenUp: false,
          send(madeTogether) {
            sent = next(marked(op, madeTogether)).subscribe(observer);
          },
        };
        gathered.push(call);
        if (gathered.length === 1) queueMicrotask(passOn);
        return () => {
          call.givenUp = true;
          sent?.unsubscribe();
        };
      });
  };
}

function marked(op: Operation, madeTogether: boolean): Operation {
  return { ...op, context: { ...op.context, [MADE_TOGETHER]: madeTogether } };
}
