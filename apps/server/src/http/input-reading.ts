import type { IncomingMessage, ServerResponse } from 'node:http';
import { FORBIDDEN_INPUT_KEY, inputTreeProblem } from '@matchloop/schemas';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';

/** A request refused for what the client sent, with a message written for them. */
class RefusedInput extends Error {
  readonly statusCode = 400;
}

/**
 * Fails on the first byte that is not UTF-8 and on a character cut short at the end. Keeps a byte order mark,
 * which the JSON parsers then refuse, as they did when Fastify decoded the body.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A JSON body as text, refused rather than quietly repaired if it is not UTF-8: a replaced byte would store
 * other text than was sent. Checked once the body is whole (Fastify has already held it to the body limit),
 * which costs a request no stream of its own.
 */
function utf8Text(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new RefusedInput('The body is not valid UTF-8, as JSON must be');
  }
}

/** A REST body, as the procedure's input: JSON that parses to an object, and a tree the contract can take. */
function readJsonInput(text: string): unknown {
  if (text.trim() === '') throw new RefusedInput('The body is empty: send the input as a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RefusedInput(`The body is not valid JSON: ${(error as SyntaxError).message}`);
  }
  const problem = inputTreeProblem(parsed);
  if (problem) throw new RefusedInput(problem);
  // Every REST input is an object; anything else would be read as one, key by character or index.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RefusedInput('The body must be a JSON object holding the input');
  }
  return parsed;
}

/**
 * A query string's keys and values, a repeated key's values as an array. The object has no prototype, so that a
 * key `__proto__` is seen, and refused, rather than quietly changing what the object inherits.
 */
export function parseQuery(query: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(query)) {
    const earlier = parsed[key];
    if (Array.isArray(earlier)) earlier.push(value);
    else parsed[key] = earlier === undefined ? value : [earlier, value];
  }
  return parsed;
}

export type App<Logger extends FastifyBaseLogger> = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger
>;

/**
 * How the server reads its input, over REST and tRPC alike. A JSON body must be UTF-8 (see `utf8Text`). A REST
 * body must parse, to an object, and be a tree the contract can take (see `inputTreeProblem`). A query string
 * may not use the key `__proto__`. Every refusal is a 400 that says what is wrong.
 */
export function registerInputReading<Logger extends FastifyBaseLogger>(app: App<Logger>): void {
  app.addHook('onRequest', async (request) => {
    // Fastify parses the query string with `parseQuery`, so a `__proto__` key is an own key.
    if (Object.hasOwn(request.query as object, FORBIDDEN_INPUT_KEY)) {
      throw new RefusedInput(`The key "${FORBIDDEN_INPUT_KEY}" is not allowed, in the query string`);
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    async (_request: unknown, body: Buffer) => readJsonInput(utf8Text(body)),
  );
}

/**
 * How the tRPC routes, registered in `scope`, read a JSON body: as checked text, which tRPC parses itself and
 * whose input its transformer holds to the same rules as a REST body.
 */
export function readTrpcBodies<Logger extends FastifyBaseLogger>(scope: App<Logger>): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    async (_request: unknown, body: Buffer) => utf8Text(body),
  );
}
