import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { transformer } from './transformer';

/** What goes over the wire: the serialized value as JSON text. */
const wire = (serialized: unknown) => JSON.stringify(serialized);

/** What a serializer sends of a value, or the message it refuses it with. */
function sent(serialize: (value: unknown) => unknown, value: unknown): string {
  try {
    return wire(serialize(value));
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

/** What the other end reads back from that text. */
const readBack = (text: string) => transformer.output.deserialize(JSON.parse(text));

describe('the wire format', () => {
  it('sends every value exactly as superjson does, plain JSON or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withSparseArray: true,
          }),
        ),
        (value) => {
          const bySuperjson = sent((it) => superjson.serialize(it), value);
          expect(sent(transformer.output.serialize, value)).toBe(bySuperjson);
          expect(sent(transformer.input.serialize, value)).toBe(bySuperjson);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['-0', -0],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['undefined', undefined],
    ['a date', new Date('2026-12-05T10:00:00.000Z')],
    ['a bigint', 10n],
    ['a map', new Map([['cost', 0.2]])],
    ['a set', new Set(['cost'])],
  ])('reads back %s deep in an otherwise plain answer', (_, special) => {
    const answer = { sessionId: 'a', recommendations: [{ rank: 1, factors: { cost: special } }] };

    const read = readBack(wire(transformer.output.serialize(answer))) as typeof answer;

    expect(read).toEqual(answer);
  });

  it('reads back a part reached twice as one object', () => {
    const shared = { cost: 0.2 };

    const read = readBack(wire(transformer.output.serialize({ a: shared, b: [shared] }))) as {
      a: object;
      b: object[];
    };

    expect(read.a).toBe(read.b[0]);
  });

  it('reads back a cycle as a cycle', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;

    const read = readBack(wire(transformer.output.serialize({ cyclic }))) as { cyclic: { self: unknown } };

    expect(read.cyclic.self).toBe(read.cyclic);
  });

  it('refuses the keys superjson refuses, rather than sending them', () => {
    expect(() => transformer.output.serialize({ nested: { constructor: 'x' } })).toThrow(
      /prototype pollution/,
    );
  });
});
