import fc from 'fast-check';
import { stringify } from 'safe-stable-stringify';
import { describe, expect, it } from 'vitest';
import { RequestFingerprint } from './fingerprint';

const SESSION_REQUEST = {
  customerId: 'customer-7',
  project: { complexity: 'complex' },
  candidates: [
    {
      manufacturerId: 'm-1',
      factors: { cost: 0.25, quality: 0.5, speed: 0.125, proximity: 1, capability: 0, reliability: 0.75 },
    },
    {
      manufacturerId: 'm-ü',
      factors: { cost: 0.1, quality: 0.2, speed: 0.3, proximity: 0.4, capability: 0.5, reliability: 0.6 },
    },
  ],
  order: 'ranked',
  metadata: { channel: 'web', tags: ['a', 'b'], nested: { yes: true, no: false, none: null } },
};

/** The same value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, field]) => [key, reversedKeys(field)]),
  );
}

describe('RequestFingerprint', () => {
  it('keeps the digest stored writes already carry', () => {
    // A change here would refuse every retry of a write stored before it as a different request.
    expect(new RequestFingerprint(SESSION_REQUEST).digest).toBe(
      'v2:n6FFq3qOgCFvy88pTHTPn-0TqNfkN44HbBsm9SmqLk8',
    );
  });

  it('recognises a request by the digest an older version stored for it', () => {
    const storedBefore = 'ccc1fb5baadd78e0349f3c8dc81b09db035f1304664faccbf21d2a6c6c708e3d';
    expect(new RequestFingerprint(reversedKeys(SESSION_REQUEST)).matches(storedBefore)).toBe(true);
    expect(new RequestFingerprint({ ...SESSION_REQUEST, order: 'as_given' }).matches(storedBefore)).toBe(
      false,
    );
  });

  it('matches exactly the requests whose JSON says the same, whatever the order of their keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (first, second) => {
        const fingerprint = new RequestFingerprint(first);
        expect(fingerprint.matches(new RequestFingerprint(reversedKeys(first)).digest)).toBe(true);
        const sameJson = stringify(first) === stringify(second);
        expect(fingerprint.matches(new RequestFingerprint(second).digest)).toBe(sameJson);
      }),
    );
  });

  it('matches objects of many keys whatever their order, as it does small ones', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 17, maxKeys: 60 }), (fields) => {
        const fingerprint = new RequestFingerprint(fields);
        expect(fingerprint.matches(new RequestFingerprint(reversedKeys(fields)).digest)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('tells apart values that only their types or boundaries distinguish', () => {
    const digests = [
      ['ab'],
      ['a', 'b'],
      [1],
      ['1'],
      [true],
      ['true'],
      [null],
      [[]],
      [{}],
      { a: 'b' },
      { ab: '' },
      [['a'], 'b'],
      [['a', 'b']],
      ['\ud800'],
      ['\udbff'],
      ['\ufffd'],
    ].map((value) => new RequestFingerprint(value).digest);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('reads fields left undefined as absent, as JSON does', () => {
    expect(new RequestFingerprint({ a: 1, b: undefined }).digest).toBe(
      new RequestFingerprint({ a: 1 }).digest,
    );
  });

  it('refuses a value that JSON cannot carry rather than digest it as something else', () => {
    expect(() => new RequestFingerprint({ at: new Date(0) })).toThrow(/JSON values only, not a Date/);
    expect(() => new RequestFingerprint({ count: 1n })).toThrow(/JSON values only, not a bigint/);
  });
});
