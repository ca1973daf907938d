import { type AppRouter, MatchloopError } from '@matchloop/sdk';

export interface ProblemDescription {
  title: string;
  detail: string;
  /** The key itself was refused: only signing in with another key helps. */
  keyRejected: boolean;
  /** The Matchloop server answered (rather than the network or a proxy failing). */
  answered: boolean;
}

/** A failed call, in words an operator can act on. */
export function describeProblem(error: unknown): ProblemDescription {
  if (!(error instanceof MatchloopError)) {
    return { title: 'Something went wrong', detail: String(error), keyRejected: false, answered: false };
  }
  const { data } = error as MatchloopError<AppRouter>;
  if (!data) {
    return {
      title: 'Matchloop did not answer',
      detail: `The server could not be reached, or something between it and this page failed (${error.message}).`,
      keyRejected: false,
      answered: false,
    };
  }
  if (data.httpStatus === 401) {
    return {
      title: 'This key was not accepted',
      detail:
        'The server does not know this key, or it was revoked. Create one with `matchloop keys create --scope admin --name dashboard`.',
      keyRejected: true,
      answered: true,
    };
  }
  if (data.httpStatus === 403) {
    return {
      title: 'This key may not read analytics',
      detail: 'The dashboard needs a key with the admin scope; this one lacks it.',
      keyRejected: true,
      answered: true,
    };
  }
  return {
    title: `The server answered ${data.httpStatus} ${data.code}`,
    detail: error.message,
    keyRejected: false,
    answered: true,
  };
}
