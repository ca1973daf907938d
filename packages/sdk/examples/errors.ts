import { type AppRouter, MatchloopError } from '@matchloop/sdk';

/** Narrows a caught error to Matchloop's, whose `data` is then typed by the API. */
export function isMatchloopError(error: unknown): error is MatchloopError<AppRouter> {
  return error instanceof MatchloopError;
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
