/**
 * How deeply a request's JSON may nest. The contract's inputs need a few levels, metadata included; the cap
 * keeps every reader of an input that recurses (validation, fingerprinting, storage) far from its stack's end.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * The one key no input may use: a JavaScript object cannot hold it as an ordinary key, so it would be dropped
 * on the way, or would replace the prototype of the object holding it.
 */
export const FORBIDDEN_INPUT_KEY = '__proto__';

interface Visit {
  readonly value: object;
  readonly key: string | undefined;
  readonly parent: Visit | undefined;
  readonly depth: number;
}

/** Where in the input, e.g. `candidates.0.factors`, optionally followed by one more key. */
function pathOf(visit: Visit, lastKey?: string): string {
  const keys = lastKey === undefined ? [] : [lastKey];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  return keys.join('.');
}

/**
 * What keeps a value parsed from a request's JSON from being read as an input, or undefined when nothing
 * does: objects and arrays nested more than MAX_INPUT_DEPTH deep, or the key `__proto__`. It walks without
 * recursing, so even a value nested far deeper than the cap is judged without exhausting the stack.
 */
export function inputTreeProblem(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const pending: Visit[] = [{ value: parsed, key: undefined, parent: undefined, depth: 1 }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (visit.depth > MAX_INPUT_DEPTH) {
      return `The input nests objects and arrays more than ${MAX_INPUT_DEPTH} deep, at ${pathOf(visit)}`;
    }
    // for…in rather than Object.entries: it visits an object's keys without building a pair for each.
    // Parsed JSON inherits nothing enumerable, so every key it visits is the value's own.
    for (const key in visit.value) {
      if (key === FORBIDDEN_INPUT_KEY) {
        return `The key "${FORBIDDEN_INPUT_KEY}" is not allowed, at ${pathOf(visit, key)}`;
      }
      const child: unknown = (visit.value as Readonly<Record<string, unknown>>)[key];
      if (typeof child === 'object' && child !== null) {
        pending.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
      }
    }
  }
  return undefined;
}
