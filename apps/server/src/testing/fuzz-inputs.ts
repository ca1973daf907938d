import {
  COMPLEXITY_LEVELS,
  EXPLANATION_LEVELS,
  FACTORS,
  INTERACTION_TYPES,
  SEGMENTS,
} from '@matchloop/schemas';
import fc from 'fast-check';

/**
 * Bytes spliced verbatim into a request body: what a JSON serializer cannot write, but a careless client or an
 * attacker can send — `NaN`, `1e999`, duplicate keys, `__proto__`, nesting ten thousand deep, bytes that are not
 * UTF-8.
 */
export class RawJson {
  constructor(readonly bytes: Uint8Array) {}

  static text(text: string): RawJson {
    return new RawJson(new TextEncoder().encode(text));
  }

  [fc.toStringMethod](): string {
    const text = new TextDecoder().decode(this.bytes);
    return `raw(${text.length > 60 ? `${text.slice(0, 60)}… (${this.bytes.length} bytes)` : text})`;
  }
}

/** A session a request can refer to: its id, and the manufacturers it showed, in order. */
export interface ShownSession {
  readonly id: string;
  readonly shown: readonly string[];
}

/** The sessions a generated request may refer to, known only once the request is about to be sent. */
export interface Targets {
  /** A session with no choice yet. */
  readonly open: ShownSession;
  /** A session whose choice was recorded. */
  readonly decided: ShownSession;
  /** A new id, used by nothing yet. */
  freshId(): string;
}

/** A part of a generated request that stands for something of the server's state, resolved when sent. */
export class Ref {
  constructor(
    readonly name: string,
    readonly resolve: (targets: Targets) => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return this.name;
  }
}

const FRESH_ID = new Ref('freshId', (targets) => targets.freshId());
const sessionRef = (which: 'open' | 'decided') => new Ref(`${which}.id`, (targets) => targets[which].id);
const shownRef = (which: 'open' | 'decided', index: number) =>
  new Ref(`${which}.shown[${index}]`, (targets) => {
    const { shown } = targets[which];
    return shown[index % shown.length];
  });

/** Whether `value` is an array or an object literal: a part of a request that holds others. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `spec` with every Ref replaced by what it stands for. */
export function resolveRefs(spec: unknown, targets: Targets): unknown {
  if (spec instanceof Ref) return spec.resolve(targets);
  if (!isContainer(spec)) return spec;
  if (Array.isArray(spec)) return spec.map((item) => resolveRefs(item, targets));
  // Own keys, written as data, so that a generated `__proto__` key stays a key.
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    Object.defineProperty(resolved, key, { value: resolveRefs(value, targets), enumerable: true });
  }
  return resolved;
}

const MARKER = '\u0001raw\u0001';
const MARKED = /"\\u0001raw\\u0001(\d+)"/g;

/** The bytes of `spec` as JSON, with its raw parts spliced in where they stand. */
export function encodeJson(spec: unknown): Uint8Array {
  const raws: Uint8Array[] = [];
  const text = JSON.stringify(spec, (_key, value: unknown) =>
    value instanceof RawJson ? `${MARKER}${raws.push(value.bytes) - 1}` : value,
  );
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKED)) {
    parts.push(encoder.encode(text.slice(last, match.index)), raws[Number(match[1])] as Uint8Array);
    last = match.index + match[0].length;
  }
  parts.push(encoder.encode(text.slice(last)));
  return Buffer.concat(parts);
}

/** Any UTF-16 code unit: NUL, control characters, and surrogates with or without their other half. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Strings as people type them, and as nobody should. */
const anyText = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: anyCodeUnit, maxLength: 30 }));

const nested = (depth: number, open: string, close: string) =>
  RawJson.text(open.repeat(depth) + close.repeat(depth));

/** Numbers JSON cannot carry, as careless serializers write them, and numbers at the edge of a double. */
const brokenNumbers = fc
  .constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    'undefined',
    '0x10',
    '.5',
    '+1',
    '01',
    "'single'",
    '1e999',
    '-1e999',
    '1e-999',
    '-0',
    '5e-324',
    '1.7976931348623157e308',
    '9007199254740993',
    '123456789012345678901234567890',
  )
  .map(RawJson.text);

/** Numbers, and what is not one, written as text. */
const numbersAsText = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '',
  ' ',
  '0.5',
  '5',
  'true',
  'null',
);

const otherTypes = fc.constantFrom(null, true, false, 0, -1, 1.5, 6, 86_401, [], {}, [0.5], { value: 0.5 });

/** Text PostgreSQL cannot store as sent: NUL characters, and surrogates without their other half. */
const unstorableText = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800');

/** Text that is blank, looks like markup or a query, or is anything at all. */
const oddText = fc.oneof(fc.constantFrom('', '   ', '<script>', "'; DROP TABLE x; --"), anyText);

const longText = fc.constantFrom(201, 5001, 9000, 500_000).map((length) => 'x'.repeat(length));

/** Keys that reach for a prototype, and a key given twice (the last one counts). */
const prototypeKeys = fc.constantFrom(
  RawJson.text('{"__proto__":{"polluted":true}}'),
  RawJson.text('{"a":{"__proto__":[]}}'),
  { constructor: { prototype: { polluted: true } } },
  RawJson.text('{"value":1,"value":"twice"}'),
);

/** Nesting just past the limit of an input, and of metadata. */
const pastTheNesting = fc.constantFrom(nested(33, '[', ']'), nested(6, '{"a":', '}'), nested(5, '[', ']'));

/** Values too big for a query string: ten thousand deep, or a hundred thousand long. */
const hugeValues = fc.oneof(
  fc.constantFrom(nested(10_000, '[', ']'), nested(10_000, '{"a":', '}')),
  fc.constantFrom(1000, 100_000).map((length) => RawJson.text(`[${Array(length).fill('0').join(',')}]`)),
);

/**
 * A string holding bytes that are not UTF-8: one that never starts a character, a character cut short, an
 * overlong encoding, an encoded surrogate.
 */
const notUtf8 = fc
  .constantFrom([0xff], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80])
  .map((bytes) => new RawJson(Uint8Array.from([0x22, 0x61, ...bytes, 0x62, 0x22])));

/**
 * Values to send in place of `original`: of every kind, but half the time of a kind that breaks `original`'s own
 * type (broken numbers for a number, unstorable or outsized text for text). `small` keeps to what fits in a query
 * string.
 */
export function nastyFor(original: unknown, { small = false } = {}): fc.Arbitrary<unknown> {
  const isText = typeof original === 'string' || original instanceof Ref;
  const ownKind =
    typeof original === 'number'
      ? [brokenNumbers, numbersAsText, fc.double()]
      : isText
        ? [unstorableText, oddText, fc.uuid(), ...(small ? [] : [longText, notUtf8])]
        : [];
  const anyKind = [
    otherTypes,
    prototypeKeys,
    pastTheNesting,
    fc.jsonValue({ maxDepth: 3 }),
    ...(small ? [] : [hugeValues, notUtf8]),
  ];
  // Half of one, half of the other.
  return fc.oneof(
    ...ownKind.map((arbitrary) => ({ weight: anyKind.length, arbitrary })),
    ...anyKind.map((arbitrary) => ({ weight: Math.max(1, ownKind.length), arbitrary })),
  );
}

const unitScore = fc.double({ min: 0, max: 1, noNaN: true });
const factorScores = fc.record(
  Object.fromEntries(FACTORS.map((factor) => [factor, unitScore])) as Record<
    (typeof FACTORS)[number],
    typeof unitScore
  >,
);
const someText = fc.string({ minLength: 1, maxLength: 30 });

const validInteraction = fc.record(
  {
    eventId: fc.constant(FRESH_ID),
    sessionId: fc.constantFrom(sessionRef('open'), sessionRef('decided')),
    manufacturerId: fc.nat(4).map((index) => shownRef('open', index)),
    interactionType: fc.constantFrom(...INTERACTION_TYPES),
    timeSpentSeconds: fc.double({ min: 0, max: 86_400, noNaN: true }),
    viewedExplanationLevel: fc.constantFrom(...EXPLANATION_LEVELS),
    expandedSections: fc.array(someText, { maxLength: 3 }),
    helpfulRating: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: ['sessionId', 'manufacturerId', 'interactionType'] },
);

/** Requests the contract takes — mostly: generated text may be blank, and so be refused. */
export const validRequest = {
  startSession: fc.record(
    {
      sessionId: fc.constant(FRESH_ID),
      customerId: someText,
      project: fc.record(
        {
          complexity: fc.constantFrom(...COMPLEXITY_LEVELS),
          complexityScore: unitScore,
        },
        { requiredKeys: ['complexity'] },
      ),
      preferences: fc.record(
        {
          budgetSensitivity: unitScore,
          urgency: unitScore,
          qualityRequirement: unitScore,
          localPreference: unitScore,
        },
        { requiredKeys: [] },
      ),
      candidates: fc.uniqueArray(fc.record({ manufacturerId: someText, factors: factorScores }), {
        minLength: 1,
        maxLength: 5,
        selector: (candidate) => candidate.manufacturerId.trim(),
      }),
      order: fc.constantFrom('ranked', 'as_given'),
      algorithmVersion: someText,
      metadata: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    },
    { requiredKeys: ['customerId', 'candidates'] },
  ),
  // Mostly on the open session, where a choice is stored; on the decided one it is a retry, or a conflict.
  recordChoice: fc.constantFrom<'open' | 'decided'>('open', 'open', 'decided').chain((which) =>
    fc.record(
      {
        sessionId: fc.constant(sessionRef(which)),
        chosenManufacturerId: fc.oneof(
          fc.nat(4).map((index) => shownRef(which, index)),
          fc.constant(null),
        ),
        reasoning: fc.string({ maxLength: 100 }),
        importantFactors: fc.uniqueArray(fc.constantFrom(...FACTORS), { maxLength: 6 }),
        satisfaction: fc.integer({ min: 1, max: 5 }),
        decisionTimeSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
      },
      { requiredKeys: ['sessionId', 'chosenManufacturerId'] },
    ),
  ),
  recordInteraction: validInteraction,
  recordInteractions: fc.record({ interactions: fc.array(validInteraction, { minLength: 1, maxLength: 4 }) }),
  weights: fc.record({ segment: fc.constantFrom(...SEGMENTS) }),
  analytics: fc.record(
    {
      from: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
      to: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
      segment: fc.constantFrom(...SEGMENTS),
      complexity: fc.constantFrom(...COMPLEXITY_LEVELS),
    },
    { requiredKeys: [] },
  ),
  alerts: fc.record(
    { status: fc.constantFrom('firing', 'resolved'), limit: fc.integer({ min: 1, max: 500 }) },
    { requiredKeys: [] },
  ),
} satisfies Record<string, fc.Arbitrary<Record<string, unknown>>>;

type Path = readonly (string | number)[];

/** Every place in a request a value sits, at any depth. */
function pathsIn(value: unknown, prefix: Path = []): Path[] {
  if (!isContainer(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsIn(item, path)];
  });
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value);
}

const REMOVED = Symbol('removed');

/** `value` with `path` set to `replacement`, or removed when `replacement` is `REMOVED`. */
function changedAt(value: unknown, path: Path, replacement: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVED) copy.splice(Number(key), 1);
    else copy[Number(key)] = changedAt(copy[Number(key)], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVED) delete copy[key];
  // Defined rather than assigned, so that `__proto__` becomes a key of the request.
  else Object.defineProperty(copy, key, { value: changedAt(copy[key], rest, replacement), enumerable: true });
  return copy;
}

/** `request` with one thing changed: a value replaced by `nasty`, a field removed, or a field added. */
export function mutated(
  request: fc.Arbitrary<Record<string, unknown>>,
  nasty: (original: unknown) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  // Every change is below the top, which stays an object.
  const changed = (valid: Record<string, unknown>, path: Path, value: unknown) =>
    changedAt(valid, path, value) as Record<string, unknown>;
  return request.chain((valid) => {
    const added = fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'extra', ''), nasty(undefined))
      .map(([key, value]) => changed(valid, [key], value));
    const paths = pathsIn(valid);
    if (paths.length === 0) return added;
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .constantFrom(...paths)
          .chain((path) => nasty(valueAt(valid, path)).map((value) => changed(valid, path, value))),
      },
      fc.constantFrom(...paths).map((path) => changed(valid, path, REMOVED)),
      added,
    );
  });
}

/** Query-string values a field should never get. */
export const nastyQueryValue: fc.Arbitrary<string | string[]> = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '1e999',
    '-1',
    '0',
    '501',
    '1.5',
    '0x10',
    '',
    ' ',
    'true',
    'null',
    '[]',
    '{}',
    '-271821-04-20T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '0000-12-31T23:59:59Z',
    '10000-01-01T00:00:00Z',
    'balanced ',
    'BALANCED',
    '__proto__',
    '\u0000',
    '\ud800',
    'x'.repeat(5000),
  ),
  anyText,
  // The key given more than once.
  fc.array(fc.constantFrom('balanced', 'firing', '2025-01-01', '5'), { minLength: 2, maxLength: 3 }),
);

/** A read's valid input, as the REST mirror takes it: in a query string. */
export function validQuery(
  procedure: 'weights' | 'analytics' | 'alerts',
): fc.Arbitrary<Record<string, string | string[]>> {
  return validRequest[procedure].map((input) =>
    Object.fromEntries(
      Object.entries(input).map(([key, value]) => [
        key,
        value instanceof Date ? value.toISOString() : String(value),
      ]),
    ),
  );
}
