import { type AppRouter, MatchloopError } from '@matchloop/sdk';

/** Narrows a caught error to Matchloop's, whose `data` is then typed by the API. */
export function isMatchloopError(error: unknown): error is MatchloopError<AppRouter> {
  return error instanceof MatchloopError;
}

/**
 * Whether trying again can help: there was no answer at all, or the server failed. Retrying a write is
 * safe because it carries the same `sessionId` or `eventId` as the first attempt.
 */
export function isRetryable(error: unknown): boolean {
  if (!isMatchloopError(error)) return false;
  return !error.data || error.data.httpStatus >= 500;
}

/** One line for the logs: the HTTP status, tRPC's code, and each input problem at its path. */
export function describeFailure(error: unknown): string {
  if (!isMatchloopError(error)) return String(error);
  if (!error.data) return `no answer from Matchloop: ${error.message}`;
  const { httpStatus, code, zodIssues } = error.data;
  const details = zodIssues
    ? zodIssues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    : error.message;
  return `${httpStatus} ${code}: ${details}`;
}
