import superjson, { type SuperJSONResult } from 'superjson';
import { inputTreeProblem } from './input-tree';

/**
 * Both ends read what the HTTP body has just been parsed into, which nothing else holds: superjson may
 * revive its values where they lie, rather than copy the whole tree first.
 */
const IN_PLACE = { inPlace: true };

/**
 * Reads a procedure's input as the tree its JSON spells out. superjson can also make parts of a value share
 * one object (its referential equalities), which no input needs: the JSON already holds a full copy of every
 * shared part, and honouring them would let a few bytes build a cycle or an exponentially large graph.
 */
function readInput(payload: unknown): unknown {
  const problem = inputTreeProblem(payload);
  // tRPC answers a failure to read the input with 400 and this message.
  if (problem) throw new Error(problem);
  // As superjson reads anything that is not an object holding `json`: as no input at all.
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { json, meta } = payload as SuperJSONResult;
  return superjson.deserialize(
    typeof meta === 'object' && meta !== null
      ? { json, meta: { ...meta, referentialEqualities: undefined } }
      : { json },
    IN_PLACE,
  );
}

/** Deeper values go through superjson's own walk, as before. */
const MAX_PLAIN_DEPTH = 64;

/** Keys superjson refuses to serialize, and whose values it would throw on rather than send. */
const REFUSED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether superjson would find nothing to record of the value but the value itself: a tree of plain objects
 * and arrays holding only null, booleans, strings and finite numbers other than -0, no part of it reached
 * twice, and no key superjson refuses.
 */
function isPlainJson(value: unknown, seen: Set<object>, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (value === null) return true;
      break;
    default:
      return false;
  }
  if (depth > MAX_PLAIN_DEPTH || seen.has(value)) return false;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const items = value as readonly unknown[];
    for (let index = 0; index < items.length; index++) {
      if (!isPlainJson(items[index], seen, depth + 1)) return false;
    }
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  const fields = value as Readonly<Record<string, unknown>>;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key) || REFUSED_KEYS.has(key)) return false;
    if (!isPlainJson(fields[key], seen, depth + 1)) return false;
  }
  return true;
}

/**
 * superjson's serialization, without its walk when the value is plain JSON, as every answer of the contract
 * but a few is: then superjson's result is `{ json }` with a copy of the value. Building that copy, with a path
 * for every value passed, took 15 µs for a session's answer, where checking it takes 5, and left the server
 * some 12 KB more garbage a session opened. The value itself is sent instead, as the same JSON.
 */
function serialize(value: unknown): SuperJSONResult {
  return isPlainJson(value, new Set(), 0)
    ? { json: value as SuperJSONResult['json'] }
    : superjson.serialize(value);
}

/**
 * The one wire format of the tRPC endpoint, imported by both the server and the SDK: superjson, with the
 * server reading inputs as plain trees.
 */
export const transformer = {
  input: { serialize, deserialize: readInput },
  output: {
    serialize,
    deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload, IN_PLACE),
  },
};
