/** A mistake a person can fix, explained in one sentence: the CLI prints it without a stack trace. */
export class UserInputError extends Error {
  override name = 'UserInputError';
}
