/** One problem with a request's input, as error responses report it (a stable subset of a zod issue). */
export interface InputIssue {
  readonly code: string;
  /** Where in the input, e.g. `["candidates", 0, "factors", "cost"]`. */
  readonly path: (string | number)[];
  readonly message: string;
}
