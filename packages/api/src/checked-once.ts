import type { z } from 'zod';

/**
 * `schema`, as a procedure's output schema that checks a frozen answer in full only the first time it is
 * given. tRPC checks every answer against its procedure's output schema, and an answer served from memory
 * (the weights, built once per learner version and read thousands of times) is the same object each time:
 * walking it again on every read cost a weights read a tenth of its CPU time. Freezing an answer is how
 * its builder promises it will never change; an answer not frozen is checked every time, and an answer
 * refused is refused every time. What is served is zod's checked copy, which nothing else holds. The
 * schema describes the same output, for the REST mirror's document too.
 */
export function checkedOnce<Schema extends z.ZodType>(schema: Schema): Schema {
  const checked = new WeakMap<object, unknown>();
  const once = schema.clone() as Schema;
  const parse = once.parse.bind(once);
  (once as { parse: (answer: unknown) => unknown }).parse = (answer) => {
    if (typeof answer !== 'object' || answer === null || !Object.isFrozen(answer)) return parse(answer);
    if (checked.has(answer)) return checked.get(answer);
    const copy = parse(answer);
    checked.set(answer, copy);
    return copy;
  };
  return once;
}
