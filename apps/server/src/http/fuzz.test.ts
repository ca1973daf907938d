import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { testDatabaseKinds } from '@matchloop/db/testing';
import {
  alertsInputSchema,
  analyticsInputSchema,
  FACTORS,
  MAX_INPUT_DEPTH,
  type RecordInteractionInput,
  recordChoiceInputSchema,
  recordInteractionInputSchema,
  recordInteractionsInputSchema,
  SEGMENTS,
  startSessionInputSchema,
  weightsInputSchema,
} from '@matchloop/schemas';
import { transformer } from '@matchloop/schemas/transformer';
import { MatchloopError, type MatchloopInputs } from '@matchloop/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CANDIDATES, sessionRequest } from '../testing/fixtures';
import {
  encodeJson,
  mutated,
  nastyFor,
  nastyQueryValue,
  RawJson,
  Ref,
  resolveRefs,
  type ShownSession,
  type Targets,
  validQuery,
  validRequest,
} from '../testing/fuzz-inputs';
import { startTestServer, type TestServer } from '../testing/test-server';
import { DEFAULT_PROTECTION } from './protection';

/** Fixed, so that a failure is reproduced by running the file again. */
const SEED = 20_261_127;

const PROCEDURES = {
  startSession: { method: 'POST', rest: '/feedback-learning/start-session', input: startSessionInputSchema },
  recordChoice: { method: 'POST', rest: '/feedback-learning/record-choice', input: recordChoiceInputSchema },
  recordInteraction: {
    method: 'POST',
    rest: '/feedback-learning/record-interaction',
    input: recordInteractionInputSchema,
  },
  recordInteractions: {
    method: 'POST',
    rest: '/feedback-learning/record-interactions',
    input: recordInteractionsInputSchema,
  },
  weights: { method: 'GET', rest: '/feedback-learning/weights', input: weightsInputSchema },
  analytics: { method: 'GET', rest: '/feedback-learning/analytics', input: analyticsInputSchema },
  alerts: { method: 'GET', rest: '/feedback-learning/alerts', input: alertsInputSchema },
  health: { method: 'GET', rest: '/feedback-learning/health', input: z.void() },
} as const;
type Procedure = keyof typeof PROCEDURES;
const WRITES = ['startSession', 'recordChoice', 'recordInteraction', 'recordInteractions'] as const;
type Write = (typeof WRITES)[number];
const isWrite = (procedure: Procedure): procedure is Write =>
  (WRITES as readonly Procedure[]).includes(procedure);
const READS = ['weights', 'analytics', 'alerts'] as const;
type Wire = 'rest' | 'trpc';
type SdkInputs = MatchloopInputs['feedbackLearning'];

/** What a request must get: success (having stored something, or not), or a refusal saying what is wrong. */
type Expected =
  | { readonly status: 200; readonly writes: boolean }
  | { readonly status: 400 | 404 | 409 | 413 | 415; readonly names: RegExp }
  | { readonly status: 400; readonly issues: readonly string[] };

/** Stack frames, source files, SQL and Prisma's own words: nothing a client should ever read. */
const INTERNALS =
  /\bat .*:\d+:\d+|(?:\/[\w.@-]+)+\.(?:ts|js|mjs|cjs)\b|node_modules|prisma|\$queryRaw|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|invalid byte sequence/i;

const issuesSchema = z.array(
  z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string().min(1) }),
);
/** A refusal in any of the server's three shapes: tRPC's, the REST mirror's, and the HTTP layer's. */
const refusalSchema = z.union([
  z
    .object({
      error: z.object({
        json: z.object({ message: z.string(), data: z.object({ zodIssues: issuesSchema.nullish() }) }),
      }),
    })
    .transform(({ error }) => ({
      message: error.json.message,
      issues: error.json.data.zodIssues ?? undefined,
    })),
  z
    .object({ message: z.string(), data: z.object({ zodIssues: issuesSchema.optional() }).optional() })
    .transform(({ message, data }) => ({ message, issues: data?.zodIssues })),
]);

/** Where each problem is, as `a.0.b`, in a stable order. */
const issuePaths = (issues: readonly { path: readonly PropertyKey[] }[]) =>
  issues.map(({ path }) => path.map(String).join('.')).sort();

/** How deeply objects and arrays nest in `value`, counted without recursion. */
function nesting(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function usesKey(value: unknown, key: string): boolean {
  const pending = [value];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item !== 'object' || item === null) continue;
    if (Object.hasOwn(item, key)) return true;
    for (const child of Object.values(item)) pending.push(child);
  }
  return false;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A request as the server fingerprints it, so that a retry is told apart from a different request. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isObject(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))) : item,
  );
}

function without(input: object, key: string): object {
  return Object.fromEntries(Object.entries(input).filter(([name]) => name !== key));
}

/** A procedure's input as tRPC carries it, in superjson's envelope. */
const inEnvelope = (json: Uint8Array) => Buffer.concat([Buffer.from('{"json":'), json, Buffer.from('}')]);

/** What the server should read from JSON sent on a wire: the input, or why it cannot read one. */
function reading(wire: Wire, body: Uint8Array): { input: unknown } | { unreadable: RegExp } {
  if (!isUtf8(body)) return { unreadable: /not valid UTF-8/ };
  const text = new TextDecoder().decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { unreadable: /JSON/ };
  }
  if (nesting(parsed) > MAX_INPUT_DEPTH)
    return { unreadable: new RegExp(`more than ${MAX_INPUT_DEPTH} deep`) };
  if (usesKey(parsed, '__proto__')) return { unreadable: /"__proto__" is not allowed/ };
  if (wire === 'trpc') return { input: (parsed as { json?: unknown }).json };
  return isObject(parsed) ? { input: parsed } : { unreadable: /must be a JSON object/ };
}

/**
 * What the server holds, as the product tells it: the sessions, choices and interactions it knows of, and which
 * requests it already took, so that each request's fate can be told in advance.
 */
class Model {
  readonly #sessions = new Map<string, { shown: Set<string>; choice?: string }>();
  readonly #sessionRequests = new Map<string, string>();
  readonly #events = new Map<string, string>();

  addSession(id: string, shown: Iterable<string>): void {
    this.#sessions.set(id, { shown: new Set(shown) });
  }

  /** What a request the contract takes must get, in the order the server looks. */
  expect(procedure: Procedure, input: unknown): Expected {
    if (procedure === 'startSession') {
      const { sessionId } = startSessionInputSchema.parse(input);
      if (sessionId === undefined || !this.#sessions.has(sessionId)) return { status: 200, writes: true };
      const first = this.#sessionRequests.get(sessionId);
      return first === canonical(without(startSessionInputSchema.parse(input), 'sessionId'))
        ? { status: 200, writes: false }
        : { status: 409, names: /already recorded with different content/ };
    }
    if (procedure === 'recordChoice') {
      const choice = recordChoiceInputSchema.parse(input);
      const session = this.#sessions.get(choice.sessionId);
      if (!session) return { status: 404, names: /No session/ };
      if (choice.chosenManufacturerId !== null && !session.shown.has(choice.chosenManufacturerId)) {
        return { status: 400, names: /was not shown/ };
      }
      if (session.choice === undefined) return { status: 200, writes: true };
      return session.choice === canonical(choice)
        ? { status: 200, writes: false }
        : { status: 409, names: /already recorded with different content/ };
    }
    if (procedure === 'recordInteraction') {
      return this.#interactionOutcome(recordInteractionInputSchema.parse(input), this.#events);
    }
    if (procedure === 'recordInteractions') {
      // Each item is answered as a call of its own, in order, so an item may repeat an earlier one's event.
      const events = new Map(this.#events);
      let writes = false;
      for (const interaction of recordInteractionsInputSchema.parse(input).interactions) {
        const outcome = this.#interactionOutcome(interaction, events);
        if (outcome.status !== 200 || !outcome.writes) continue;
        writes = true;
        if (interaction.eventId) events.set(interaction.eventId, canonical(without(interaction, 'eventId')));
      }
      return { status: 200, writes };
    }
    return { status: 200, writes: false };
  }

  #interactionOutcome(interaction: RecordInteractionInput, events: ReadonlyMap<string, string>): Expected {
    const earlier = interaction.eventId && events.get(interaction.eventId);
    if (earlier) {
      return earlier === canonical(without(interaction, 'eventId'))
        ? { status: 200, writes: false }
        : { status: 409, names: /already recorded with different content/ };
    }
    const session = this.#sessions.get(interaction.sessionId);
    if (!session) return { status: 404, names: /No session/ };
    if (!session.shown.has(interaction.manufacturerId)) return { status: 400, names: /was not shown/ };
    return { status: 200, writes: true };
  }

  /** Takes in a write the server accepted and stored. */
  stored(procedure: Write, input: unknown, answer: unknown): void {
    if (procedure === 'startSession') {
      const session = startSessionInputSchema.parse(input);
      const { sessionId } = z.object({ sessionId: z.string() }).parse(answer);
      this.addSession(
        sessionId,
        session.candidates.map(({ manufacturerId }) => manufacturerId),
      );
      if (session.sessionId) this.#sessionRequests.set(sessionId, canonical(without(session, 'sessionId')));
    } else if (procedure === 'recordChoice') {
      const choice = recordChoiceInputSchema.parse(input);
      const session = this.#sessions.get(choice.sessionId);
      if (session) session.choice = canonical(choice);
    } else if (procedure === 'recordInteraction') {
      this.#storedInteraction(recordInteractionInputSchema.parse(input));
    } else {
      const { interactions } = recordInteractionsInputSchema.parse(input);
      const { results } = z.object({ results: z.array(z.object({ outcome: z.string() })) }).parse(answer);
      interactions.forEach((interaction, index) => {
        if (results[index]?.outcome === 'recorded') this.#storedInteraction(interaction);
      });
    }
  }

  #storedInteraction(interaction: RecordInteractionInput): void {
    if (interaction.eventId)
      this.#events.set(interaction.eventId, canonical(without(interaction, 'eventId')));
  }

  isDecided(sessionId: string): boolean {
    return this.#sessions.get(sessionId)?.choice !== undefined;
  }
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

describe.each(testDatabaseKinds())('every procedure, fuzzed over REST, tRPC and the SDK, on %s', (kind) => {
  let server: TestServer;
  let model: Model;
  let targets: Targets;
  /** What the database held after the last request. */
  let footprint: unknown;

  const shownSession = async (customerId: string): Promise<ShownSession> => {
    const { sessionId } = await server
      .client()
      .feedbackLearning.startSession.mutate(sessionRequest({ customerId }));
    const shown = CANDIDATES.map(({ manufacturerId }) => manufacturerId);
    model.addSession(sessionId, shown);
    return { id: sessionId, shown };
  };

  /** Every row a write can add, and the figures and learning the product reports from them. */
  const measure = async () => {
    const { prisma } = server.matchloop.database;
    const [analytics, sessions, recommendations, choices, interactions, learnedVersions] = await Promise.all([
      call('GET', '/feedback-learning/analytics').then((response) => response.json()),
      prisma.matchingFeedbackSession.count(),
      prisma.matchingRecommendation.count(),
      prisma.customerChoice.count(),
      prisma.recommendationInteraction.count(),
      prisma.learningWeights.count(),
    ]);
    const { overall, bySegment } = z
      .object({
        overall: z.unknown(),
        bySegment: z.array(z.object({ segment: z.string(), sampleSize: z.number() })),
      })
      .parse(analytics);
    return {
      sessions,
      recommendations,
      choices,
      interactions,
      learnedVersions,
      overall,
      sampleSizes: bySegment.map(({ segment, sampleSize }) => `${segment}:${sampleSize}`),
    };
  };

  const call = (method: 'GET' | 'POST', path: string, body?: Uint8Array, contentType = 'application/json') =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body }),
    });

  beforeAll(async () => {
    // The rate limit would answer 429 long before the fuzzer is done.
    server = await startTestServer(kind, { rateLimit: Number.MAX_SAFE_INTEGER });
    model = new Model();
    const decided = await shownSession('fuzz-decided');
    const choice = { sessionId: decided.id, chosenManufacturerId: decided.shown[0] ?? null };
    await server.client().feedbackLearning.recordChoice.mutate(choice);
    model.stored('recordChoice', choice, undefined);
    targets = { open: await shownSession('fuzz-open'), decided, freshId: randomUUID };
    footprint = await measure();
  });
  afterAll(() => server?.close());

  /**
   * Sends a request and holds its answer to `expected`: never a 5xx; a refusal says what is wrong and nothing of
   * the server's insides; and the database changes exactly when a write is expected to store something.
   */
  async function check(
    send: () => Promise<Answer>,
    expected: Expected,
    onStored?: (answer: unknown) => Promise<void>,
  ) {
    const answer = await send();
    const before = footprint;
    footprint = await measure();
    // The body too, so that a failure shows what the server said.
    expect({ status: answer.status, body: answer.text.slice(0, 500) }).toMatchObject({
      status: expected.status,
    });
    if (expected.status === 200) {
      if (expected.writes) {
        expect(footprint).not.toEqual(before);
        await onStored?.(JSON.parse(answer.text));
        footprint = await measure();
      } else {
        expect(footprint).toEqual(before);
      }
      return;
    }
    expect(footprint).toEqual(before);
    expect(answer.text).not.toMatch(INTERNALS);
    const refusal = refusalSchema.parse(JSON.parse(answer.text));
    if ('issues' in expected) {
      expect(issuePaths(refusal.issues ?? [])).toEqual(expected.issues);
    } else {
      expect(refusal.message).toMatch(expected.names);
    }
  }

  /** What the server must answer to `input` read from a request to `procedure`. */
  function expectedFor(procedure: Procedure, input: unknown): Expected {
    const parsed = PROCEDURES[procedure].input.safeParse(input);
    if (!parsed.success) return { status: 400, issues: issuePaths(parsed.error.issues) };
    return model.expect(procedure, input);
  }

  /** After a stored choice on the open session, another session takes its place. */
  async function stored(procedure: Write, input: unknown, answer: unknown) {
    model.stored(procedure, input, answer);
    if (model.isDecided(targets.open.id)) targets = { ...targets, open: await shownSession('fuzz-open') };
  }

  /** Calls `procedure` through the SDK, with an input generated with that procedure's type. */
  function callSdk(procedure: Procedure, input: unknown): Promise<unknown> {
    const matchloop = server.client().feedbackLearning;
    switch (procedure) {
      case 'startSession':
        return matchloop.startSession.mutate(input as SdkInputs['startSession']);
      case 'recordChoice':
        return matchloop.recordChoice.mutate(input as SdkInputs['recordChoice']);
      case 'recordInteraction':
        return matchloop.recordInteraction.mutate(input as SdkInputs['recordInteraction']);
      case 'recordInteractions':
        return matchloop.recordInteractions.mutate(input as SdkInputs['recordInteractions']);
      case 'weights':
        return matchloop.weights.query(input as SdkInputs['weights']);
      case 'analytics':
        return matchloop.analytics.query(input as SdkInputs['analytics']);
      case 'alerts':
        return matchloop.alerts.query(input as SdkInputs['alerts']);
      case 'health':
        return matchloop.health.query();
    }
  }

  const answerOf = async (response: Response): Promise<Answer> => ({
    status: response.status,
    text: await response.text(),
  });

  /** The data of a tRPC answer, or the REST answer itself. */
  const dataOf = (wire: Wire, answer: unknown) =>
    wire === 'trpc' ? (answer as { result: { data: { json: unknown } } }).result.data.json : answer;

  it('reads any body sent to a write as the contract says, and stores all of it or nothing', async () => {
    const cases = fc.constantFrom(...WRITES).chain((procedure) =>
      fc.record({
        procedure: fc.constant(procedure),
        wire: fc.constantFrom<Wire>('rest', 'trpc'),
        body: fc.oneof(
          { weight: 5, arbitrary: mutated(validRequest[procedure], nastyFor) },
          { weight: 2, arbitrary: validRequest[procedure] },
          nastyFor({}),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ procedure, wire, body }) => {
        const json = encodeJson(resolveRefs(body, targets));
        const sent = wire === 'rest' ? json : inEnvelope(json);
        const read = reading(wire, sent);
        const expected: Expected =
          'unreadable' in read ? { status: 400, names: read.unreadable } : expectedFor(procedure, read.input);
        const path = wire === 'rest' ? PROCEDURES[procedure].rest : `/trpc/feedbackLearning.${procedure}`;
        await check(
          async () => answerOf(await call('POST', path, sent)),
          expected,
          'input' in read ? (answer) => stored(procedure, read.input, dataOf(wire, answer)) : undefined,
        );
      }),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('reads any query sent to a read as the contract says', async () => {
    const restQuery = fc.constantFrom(...READS).chain((procedure) =>
      fc.record({
        procedure: fc.constant<Procedure>(procedure),
        query: fc.oneof(
          validQuery(procedure),
          mutated(validQuery(procedure), () => nastyQueryValue),
        ),
      }),
    );
    const healthQuery = fc.record({
      procedure: fc.constant<Procedure>('health'),
      query: mutated(fc.constant({}), () => nastyQueryValue),
    });
    const trpcInput = fc.constantFrom(...READS).chain((procedure) =>
      fc.record({
        procedure: fc.constant<Procedure>(procedure),
        input: fc.oneof(
          validRequest[procedure],
          mutated(validRequest[procedure], (original) => nastyFor(original, { small: true })),
        ),
      }),
    );
    const healthInput = fc.record({
      procedure: fc.constant<Procedure>('health'),
      input: fc.option(nastyFor(undefined, { small: true }), { nil: undefined }),
    });
    const cases = fc.oneof(
      fc.record({ wire: fc.constant('rest' as const), request: fc.oneof(restQuery, healthQuery) }),
      fc.record({ wire: fc.constant('trpc' as const), request: fc.oneof(trpcInput, healthInput) }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ wire, request }) => {
        if (wire === 'rest') {
          const query = new URLSearchParams();
          for (const [key, values] of Object.entries(request.query)) {
            for (const value of [values].flat()) query.append(key, String(value));
          }
          // As the mirror reads a query: a key given once is a value, given again an array; an empty one is unset.
          const input: Record<string, string | string[]> = {};
          for (const key of new Set(query.keys())) {
            const values = query.getAll(key);
            if (values.length > 1) Object.defineProperty(input, key, { value: values, enumerable: true });
            else if (values[0]) Object.defineProperty(input, key, { value: values[0], enumerable: true });
          }
          const { procedure } = request;
          await check(
            async () => answerOf(await call('GET', `${PROCEDURES[procedure].rest}?${query}`)),
            query.has('__proto__')
              ? { status: 400, names: /"__proto__" is not allowed/ }
              : procedure === 'health'
                ? { status: 200, writes: false }
                : expectedFor(procedure, input),
          );
          return;
        }
        const { procedure, input } = request;
        if (input === undefined) {
          await check(async () => answerOf(await call('GET', `/trpc/feedbackLearning.${procedure}`)), {
            status: 200,
            writes: false,
          });
          return;
        }
        const envelope = new TextDecoder().decode(encodeJson({ json: input }));
        const read = reading('trpc', Buffer.from(envelope));
        await check(
          async () =>
            answerOf(
              await call('GET', `/trpc/feedbackLearning.${procedure}?input=${encodeURIComponent(envelope)}`),
            ),
          'unreadable' in read ? { status: 400, names: read.unreadable } : expectedFor(procedure, read.input),
        );
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('decodes superjson’s numbers, dates, big integers and collections, and refuses what the contract does not take', async () => {
    const notJson = fc.oneof(
      fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, 10n, 2n ** 70n, /x/g, new Error('x')),
      fc.constantFrom(new Map([['a', 1]]), new Set([1]), new Date(8.64e15), new Date(-8.64e15), new Date(0)),
    );
    const cases = fc
      .constantFrom(...WRITES, 'analytics' as const)
      .chain((procedure) =>
        fc.record({
          procedure: fc.constant(procedure),
          body: mutated(validRequest[procedure], () => notJson),
        }),
      )
      // superjson itself refuses to write these keys.
      .filter(({ body }) => !Object.hasOwn(body, '__proto__') && !Object.hasOwn(body, 'constructor'));
    await fc.assert(
      fc.asyncProperty(cases, async ({ procedure, body }) => {
        const input = resolveRefs(body, targets);
        const sent = JSON.stringify(transformer.input.serialize(input));
        const expected = expectedFor(procedure, input);
        await check(
          async () =>
            answerOf(
              PROCEDURES[procedure].method === 'POST'
                ? await call('POST', `/trpc/feedbackLearning.${procedure}`, Buffer.from(sent))
                : await call('GET', `/trpc/feedbackLearning.${procedure}?input=${encodeURIComponent(sent)}`),
            ),
          expected,
          procedure === 'analytics'
            ? undefined
            : (answer) => stored(procedure, input, dataOf('trpc', answer)),
        );
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('answers whatever the SDK’s types let a caller send, as the contract says', async () => {
    const text = fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.constantFrom('', '   ', 'a\u0000b', 'x\ud800', 'x'.repeat(201), 'x'.repeat(5001)),
    );
    const number = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double(), fc.integer());
    const sessionId = fc.oneof(
      fc.constantFrom(new Ref('open.id', (at) => at.open.id), new Ref('decided.id', (at) => at.decided.id)),
      fc.uuid(),
      text,
    );
    const manufacturerId = fc.oneof(
      fc
        .nat(3)
        .map((index) => new Ref(`open.shown[${index}]`, (at) => at.open.shown[index % at.open.shown.length])),
      text,
    );
    const interaction = fc.record(
      {
        eventId: fc.uuid(),
        sessionId,
        manufacturerId,
        interactionType: fc.constantFrom('viewed', 'expanded', 'compared', 'contacted'),
        timeSpentSeconds: number,
        expandedSections: fc.array(text, { maxLength: 51 }),
        helpfulRating: number,
      },
      { requiredKeys: ['sessionId', 'manufacturerId', 'interactionType'] },
    );
    const calls = fc.oneof(
      fc
        .record(
          {
            customerId: text,
            candidates: fc.array(
              fc.record({
                manufacturerId: text,
                factors: fc.record(Object.fromEntries(FACTORS.map((factor) => [factor, number]))),
              }),
              { maxLength: 3 },
            ),
            preferences: fc.record({ budgetSensitivity: number, urgency: number }, { requiredKeys: [] }),
            algorithmVersion: text,
            metadata: fc.dictionary(text, fc.jsonValue({ maxDepth: 7 }), { maxKeys: 4 }),
          },
          { requiredKeys: ['customerId', 'candidates'] },
        )
        .map((input) => ({ procedure: 'startSession' as const, input })),
      fc
        .record(
          {
            sessionId,
            chosenManufacturerId: fc.oneof(manufacturerId, fc.constant(null)),
            reasoning: text,
            importantFactors: fc.array(fc.constantFrom(...FACTORS), { maxLength: 7 }),
            satisfaction: number,
            decisionTimeSeconds: number,
          },
          { requiredKeys: ['sessionId', 'chosenManufacturerId'] },
        )
        .map((input) => ({ procedure: 'recordChoice' as const, input })),
      interaction.map((input) => ({ procedure: 'recordInteraction' as const, input })),
      fc
        .record({ interactions: fc.array(interaction, { maxLength: 3 }) })
        .map((input) => ({ procedure: 'recordInteractions' as const, input })),
      fc
        .record({ segment: fc.constantFrom(...SEGMENTS) })
        .map((input) => ({ procedure: 'weights' as const, input })),
      fc
        .record(
          { from: fc.date({ noInvalidDate: true }), to: fc.date({ noInvalidDate: true }) },
          { requiredKeys: [] },
        )
        .map((input) => ({ procedure: 'analytics' as const, input })),
      fc
        .record({ limit: number }, { requiredKeys: [] })
        .map((input) => ({ procedure: 'alerts' as const, input })),
      fc.constant({ procedure: 'health' as const, input: undefined }),
    );
    await fc.assert(
      fc.asyncProperty(calls, async ({ procedure, input: spec }) => {
        const input = resolveRefs(spec, targets);
        await check(
          () =>
            callSdk(procedure, input).then(
              (output) => ({ status: 200, text: JSON.stringify(output ?? null) }),
              (error: unknown) => {
                if (!(error instanceof MatchloopError)) throw error;
                const status = z.number().parse(error.data?.httpStatus);
                const body = { error: { json: { message: error.message, data: error.data } } };
                return { status, text: JSON.stringify(body) };
              },
            ),
          expectedFor(procedure, input),
          isWrite(procedure) ? (answer) => stored(procedure, input, answer) : undefined,
        );
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  describe('bodies the server cannot read', () => {
    const session = () => encodeJson(sessionRequest());
    const bodies: [string, () => Uint8Array, RegExp][] = [
      ['a byte that is not UTF-8', () => Buffer.from('{"customerId":"\xff"}', 'latin1'), /not valid UTF-8/],
      [
        'a character cut short at the end',
        () => Buffer.concat([session(), Buffer.from([0xe2, 0x82])]),
        /UTF-8/,
      ],
      ['NaN', () => Buffer.from('{"customerId":"c","candidates":NaN}'), /JSON/],
      ['a trailing comma', () => Buffer.from('{"customerId":"c",}'), /JSON/],
      [
        'arrays ten thousand deep',
        () => encodeJson(RawJson.text(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
        /deep/,
      ],
      [
        'metadata ten thousand deep',
        () =>
          encodeJson({
            ...sessionRequest(),
            metadata: { a: RawJson.text(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`) },
          }),
        /deep, at (json\.)?metadata\.a\.a/,
      ],
      [
        'a __proto__ key',
        () => encodeJson({ ...sessionRequest(), metadata: RawJson.text('{"__proto__":{"polluted":true}}') }),
        /"__proto__" is not allowed, at (json\.)?metadata\.__proto__/,
      ],
    ];

    it.each(bodies)(
      'refuses %s with 400 and the reason, over REST and tRPC alike',
      async (_name, body, reason) => {
        for (const [path, sent] of [
          ['/feedback-learning/start-session', body()],
          ['/trpc/feedbackLearning.startSession', inEnvelope(body())],
        ] as const) {
          await check(async () => answerOf(await call('POST', path, sent)), { status: 400, names: reason });
        }
      },
    );

    it('tells a REST client that the body must be a JSON object', async () => {
      for (const body of ['', '  ', '[]', '"session"', 'null', '5']) {
        await check(
          async () => answerOf(await call('POST', '/feedback-learning/start-session', Buffer.from(body))),
          { status: 400, names: body.trim() === '' ? /body is empty/ : /must be a JSON object/ },
        );
      }
    });

    it('answers a body that is not JSON with 415', async () => {
      for (const path of ['/feedback-learning/start-session', '/trpc/feedbackLearning.startSession']) {
        for (const contentType of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/octet-stream',
        ]) {
          await check(async () => answerOf(await call('POST', path, session(), contentType)), {
            status: 415,
            names: /content-type|Media Type/i,
          });
        }
      }
    });
  });

  describe('what the server reads from the bodies it can read', () => {
    it('takes a body right up to the limit, and answers one byte more with 413', async () => {
      const limit = DEFAULT_PROTECTION.bodyLimitBytes;
      const padded = (wire: Wire, bytes: number) => {
        const wrap = (json: Uint8Array) => (wire === 'rest' ? json : inEnvelope(json));
        const emptyLength = wrap(encodeJson(sessionRequest({ customerId: '' }))).length;
        return wrap(encodeJson(sessionRequest({ customerId: 'x'.repeat(bytes - emptyLength) })));
      };
      for (const [wire, path] of [
        ['rest', '/feedback-learning/start-session'],
        ['trpc', '/trpc/feedbackLearning.startSession'],
      ] as const) {
        const atLimit = padded(wire, limit);
        expect(atLimit.length).toBe(limit);
        await check(async () => answerOf(await call('POST', path, atLimit)), {
          status: 400,
          issues: ['customerId'],
        });
        await check(async () => answerOf(await call('POST', path, padded(wire, limit + 1))), {
          status: 413,
          names: /too large/,
        });
      }
    });

    it('reads a key given twice as its last value, over REST and tRPC alike', async () => {
      const withCustomer = (first: string, last: string) =>
        JSON.stringify(sessionRequest({ customerId: 'once' })).replace(
          '"customerId":"once"',
          `"customerId":${first},"customerId":${last}`,
        );
      for (const [wire, wrap, path] of [
        ['rest', (json: Uint8Array) => json, '/feedback-learning/start-session'],
        ['trpc', inEnvelope, '/trpc/feedbackLearning.startSession'],
      ] as const) {
        const send = (body: string) => async () =>
          answerOf(await call('POST', path, wrap(Buffer.from(body))));
        await check(send(withCustomer('5', '"customer-twice"')), { status: 200, writes: true }, (answer) =>
          stored('startSession', sessionRequest({ customerId: 'customer-twice' }), dataOf(wire, answer)),
        );
        await check(send(withCustomer('"customer-twice"', '5')), { status: 400, issues: ['customerId'] });
      }
    });

    it('holds every number, true or false to its type, over tRPC even once REST has been called', async () => {
      const { id } = targets.open;
      for (const [field, value] of [
        ['satisfaction', '5'],
        ['satisfaction', true],
        ['decisionTimeSeconds', []],
        ['decisionTimeSeconds', ''],
      ] as const) {
        const choice = encodeJson({ sessionId: id, chosenManufacturerId: null, [field]: value });
        for (const [path, body] of [
          ['/feedback-learning/record-choice', choice],
          ['/trpc/feedbackLearning.recordChoice', inEnvelope(choice)],
        ] as const) {
          await check(async () => answerOf(await call('POST', path, body)), { status: 400, issues: [field] });
        }
      }
    });

    it('reads superjson’s shared references as copies: a few bytes build no cycle and no vast graph', async () => {
      // Each level lists one array two hundred times over: 200⁴ arrays, were the references followed.
      let levels: unknown = 1;
      const references: Record<string, string[]> = {};
      let path = 'metadata.shared';
      for (let level = 0; level < 4; level += 1) {
        levels = [levels, ...Array(199).fill(null)];
        references[`${path}.0`] = Array.from({ length: 199 }, (_, index) => `${path}.${index + 1}`);
        path = `${path}.0`;
      }
      const metadata = { shared: levels, cycle: {} };
      references.metadata = ['metadata.cycle.self'];
      const body = JSON.stringify({
        json: { ...sessionRequest(), metadata },
        meta: { referentialEqualities: references },
      });
      await check(
        async () => answerOf(await call('POST', '/trpc/feedbackLearning.startSession', Buffer.from(body))),
        { status: 200, writes: true },
        (answer) => stored('startSession', { ...sessionRequest(), metadata }, dataOf('trpc', answer)),
      );
    });
  });

  describe('the bounds of the contract', () => {
    const post = (path: string, body: unknown) => async () =>
      answerOf(await call('POST', path, encodeJson(body)));
    const [candidate] = CANDIDATES;

    it('refuses text PostgreSQL could not store as sent, naming where it is', async () => {
      const cases: [string, unknown, string[]][] = [
        [
          '/feedback-learning/start-session',
          sessionRequest({
            customerId: 'a\u0000b',
            algorithmVersion: 'v\ud800',
            candidates: [{ ...(candidate as (typeof CANDIDATES)[number]), manufacturerId: '\udc00x' }],
          }),
          ['algorithmVersion', 'candidates.0.manufacturerId', 'customerId'],
        ],
        [
          '/feedback-learning/start-session',
          sessionRequest({ metadata: { note: { deeper: ['a\u0000'] } } }),
          ['metadata.note.deeper.0'],
        ],
        [
          '/feedback-learning/start-session',
          sessionRequest({ metadata: { 'k\ud800': 1 } }),
          ['metadata.k\ud800'],
        ],
        [
          '/feedback-learning/record-choice',
          { sessionId: targets.open.id, chosenManufacturerId: null, reasoning: 'x\u0000' },
          ['reasoning'],
        ],
        [
          '/feedback-learning/record-interaction',
          {
            sessionId: targets.open.id,
            manufacturerId: candidate?.manufacturerId,
            interactionType: 'expanded',
            expandedSections: ['ok', '\ud800'],
          },
          ['expandedSections.1'],
        ],
      ];
      for (const [path, body, issues] of cases) await check(post(path, body), { status: 400, issues });
    });

    it('keeps metadata small and shallow', async () => {
      const path = '/feedback-learning/start-session';
      await check(post(path, sessionRequest({ metadata: { blob: 'x'.repeat(8200) } })), {
        status: 400,
        issues: ['metadata'],
      });
      await check(post(path, sessionRequest({ metadata: { a: { b: { c: { d: { e: {} } } } } } })), {
        status: 400,
        issues: ['metadata.a.b.c.d.e'],
      });
      const deepest = { a: { b: { c: { d: {} } } } };
      await check(
        post(path, sessionRequest({ metadata: deepest })),
        { status: 200, writes: true },
        (answer) => stored('startSession', sessionRequest({ metadata: deepest }), answer),
      );
    });

    it('answers analytics for instants outside years 1 to 9999 with 400', async () => {
      const analytics = (query: string) => async () =>
        answerOf(await call('GET', `/feedback-learning/analytics?${query}`));
      await check(analytics('from=0000-12-31T23:59:59Z'), { status: 400, issues: ['from'] });
      await check(analytics('to=%2B010000-01-01T00:00:00Z'), { status: 400, issues: ['to'] });
      await check(analytics('from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z'), {
        status: 200,
        writes: false,
      });
    });
  });
});
