import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable, Transform } from 'node:stream';
import { FORBIDDEN_INPUT_KEY, inputTreeProblem } from '@matchloop/schemas';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';

/** A request refused for what the client sent, with a message written for them. */
class RefusedInput extends Error {
  readonly statusCode = 400;
}

const NOT_UTF8 = 'The body is not valid UTF-8, as JSON must be';

function isJson(request: FastifyRequest): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

/** Passes a body through unchanged, failing it as soon as it stops being valid UTF-8. */
function checkedUtf8(body: Readable): Readable {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const checker = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
        callback(null, chunk);
      } catch {
        callback(new RefusedInput(NOT_UTF8));
      }
    },
    flush(callback) {
      try {
        // Throws if the body ends inside a character.
        decoder.decode();
        callback();
      } catch {
        callback(new RefusedInput(NOT_UTF8));
      }
    },
  });
  // A failure on either side ends both, and reaches Fastify through the checker.
  return pipeline(body, checker, () => {});
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

/**
 * How the server reads its input, over REST and tRPC alike. A JSON body must be UTF-8: any other byte is refused
 * rather than quietly replaced, which would store other text than was sent. A REST body must parse, to an
 * object, and be a tree the contract can take (see `inputTreeProblem`); tRPC parses its own, and its transformer
 * holds inputs to the same rules. A query string may not use the key `__proto__`. Every refusal is a 400 that
 * says what is wrong.
 */
export function registerInputReading<Logger extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>,
): void {
  app.addHook('onRequest', async (request) => {
    // Fastify parses the query string with `parseQuery`, so a `__proto__` key is an own key.
    if (Object.hasOwn(request.query as object, FORBIDDEN_INPUT_KEY)) {
      throw new RefusedInput(`The key "${FORBIDDEN_INPUT_KEY}" is not allowed, in the query string`);
    }
  });
  app.addHook('preParsing', async (request, _reply, payload) =>
    isJson(request) ? checkedUtf8(payload) : payload,
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    async (_request: unknown, body: string) => readJsonInput(body),
  );
}
