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

/**
 * The one wire format of the tRPC endpoint, imported by both the server and the SDK: superjson, with the
 * server reading inputs as plain trees.
 */
export const transformer = {
  input: { serialize: (input: unknown) => superjson.serialize(input), deserialize: readInput },
  output: {
    serialize: (output: unknown) => superjson.serialize(output),
    deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload, IN_PLACE),
  },
};
