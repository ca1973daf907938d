import { randomUUID } from 'node:crypto';
import { testDatabaseKinds } from '@matchloop/db/testing';
import { INTERACTION_TYPES, MAX_INTERACTIONS_PER_REQUEST } from '@matchloop/schemas';
import {
  createMatchloopClient,
  MatchloopError,
  type RecordInteractionInput,
  type StartSessionOutput,
} from '@matchloop/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

/** The frontend sends what a customer did with a page of recommendations in one call. */
describe.each(testDatabaseKinds())('recording many interactions in one call, on %s', (kind) => {
  let server: TestServer;
  let session: StartSessionOutput;
  beforeAll(async () => {
    server = await startTestServer(kind);
    session = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
  });
  afterAll(() => server?.close());

  const prisma = () => server.matchloop.database.prisma;
  /** The ids of the interactions stored for a session. */
  const storedIds = async (sessionId: string) =>
    (await prisma().recommendationInteraction.findMany({ where: { sessionId }, select: { id: true } }))
      .map(({ id }) => id)
      .sort();
  /** An interaction with the manufacturer shown at `index` (modulo those shown), of a type that varies with it. */
  const interaction = (index: number, overrides: Partial<RecordInteractionInput> = {}) => ({
    eventId: randomUUID(),
    sessionId: session.sessionId,
    manufacturerId: session.recommendations[index % session.recommendations.length]?.manufacturerId ?? '',
    interactionType: INTERACTION_TYPES[index % INTERACTION_TYPES.length] ?? 'viewed',
    ...overrides,
  });

  it('stores 50 interactions sent in one request once each, and answers for each in order', async () => {
    let requests = 0;
    const matchloop = createMatchloopClient({
      url: server.url,
      apiKey: await server.createKey(['ingest']),
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const { sessionId } = await server.client().feedbackLearning.startSession.mutate(sessionRequest());
    const interactions = Array.from({ length: 50 }, (_, index) => interaction(index, { sessionId }));

    const { results } = await matchloop.feedbackLearning.recordInteractions.mutate({ interactions });

    expect(requests).toBe(1);
    expect(results).toEqual(
      interactions.map(({ eventId }) => ({
        outcome: 'recorded',
        eventId,
        sessionId,
        recordedAt: expect.any(Date),
      })),
    );
    expect(await storedIds(sessionId)).toEqual(interactions.map(({ eventId }) => eventId).sort());
  });

  it('refuses each interaction recordInteraction would refuse, and stores the others', async () => {
    const matchloop = server.client();
    const reused = interaction(0);
    await matchloop.feedbackLearning.recordInteraction.mutate(reused);
    const unknownSession = randomUUID();
    const [first, second, third] = [interaction(1), interaction(2), interaction(3)];
    const interactions = [
      first,
      interaction(0, { sessionId: unknownSession }),
      second,
      interaction(0, { manufacturerId: 'never-shown' }),
      { ...reused, interactionType: 'contacted' as const },
      third,
    ];

    const { results } = await matchloop.feedbackLearning.recordInteractions.mutate({ interactions });

    const refused = (code: string, message: string) => ({ outcome: 'refused', error: { code, message } });
    const recorded = (eventId: string) => expect.objectContaining({ outcome: 'recorded', eventId });
    expect(results).toEqual([
      recorded(first.eventId),
      refused('NOT_FOUND', `No session ${unknownSession}`),
      recorded(second.eventId),
      refused('BAD_REQUEST', `Manufacturer never-shown was not shown in session ${session.sessionId}`),
      refused(
        'CONFLICT',
        `Event ${reused.eventId} was already recorded with different content; the first one stands`,
      ),
      recorded(third.eventId),
    ]);
    const unchanged = await prisma().recommendationInteraction.findUniqueOrThrow({
      where: { id: reused.eventId },
    });
    expect(unchanged.interactionType).toBe(reused.interactionType);
    expect(await storedIds(session.sessionId)).toEqual(
      expect.arrayContaining([reused.eventId, first.eventId, second.eventId, third.eventId]),
    );
    expect(await prisma().recommendationInteraction.count({ where: { sessionId: unknownSession } })).toBe(0);
    expect(
      await prisma().recommendationInteraction.count({
        where: { sessionId: session.sessionId, manufacturerId: 'never-shown' },
      }),
    ).toBe(0);
  });

  it('answers any mix of interactions in one call as each would be answered alone, and a retry alike', async () => {
    const matchloop = server.client();
    const { sessionId, recommendations } = await matchloop.feedbackLearning.startSession.mutate(
      sessionRequest(),
    );
    const shown = recommendations.map(({ manufacturerId }) => manufacturerId);
    /** What the server holds for this session, as the product tells it: each event and what it said. */
    const stored = new Map<string, Pick<RecordInteractionInput, 'manufacturerId' | 'interactionType'>>();
    type Item =
      | { kind: 'new'; shownIndex: number; type: number }
      | { kind: 'repeat' | 'reuse'; of: number }
      | { kind: 'unknownSession' }
      | { kind: 'notShown' };
    const item = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ kind: fc.constant('new' as const), shownIndex: fc.nat(), type: fc.nat() }),
      },
      fc.record({ kind: fc.constantFrom('repeat' as const, 'reuse' as const), of: fc.nat() }),
      fc.record({ kind: fc.constant('unknownSession' as const) }),
      fc.record({ kind: fc.constant('notShown' as const) }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 20 }), async (items: Item[]) => {
        const sent: RecordInteractionInput[] = [];
        const expected: string[] = [];
        for (const spec of items) {
          const fresh = (shownIndex: number, type: number): RecordInteractionInput => ({
            eventId: randomUUID(),
            sessionId,
            manufacturerId: shown[shownIndex % shown.length] as string,
            interactionType: INTERACTION_TYPES[type % INTERACTION_TYPES.length] ?? 'viewed',
          });
          const known = [...stored.keys()];
          let input: RecordInteractionInput;
          if (spec.kind === 'new') {
            input = fresh(spec.shownIndex, spec.type);
          } else if (spec.kind === 'unknownSession') {
            input = { ...fresh(0, 0), sessionId: randomUUID() };
          } else if (spec.kind === 'notShown') {
            input = { ...fresh(0, 0), manufacturerId: 'never-shown' };
          } else if (known.length === 0) {
            input = fresh(spec.of, spec.of);
          } else {
            // An event sent before, in an earlier call or earlier in this one: as it was, or changed.
            const eventId = known[spec.of % known.length] as string;
            const { manufacturerId, interactionType } = stored.get(eventId) as RecordInteractionInput;
            const changed = INTERACTION_TYPES.find((type) => type !== interactionType) ?? 'viewed';
            input = {
              eventId,
              sessionId,
              manufacturerId,
              interactionType: spec.kind === 'reuse' ? changed : interactionType,
            };
          }
          sent.push(input);
          if (input.sessionId !== sessionId) expected.push('NOT_FOUND');
          else if (!shown.includes(input.manufacturerId)) expected.push('BAD_REQUEST');
          else if (!stored.has(input.eventId as string)) {
            stored.set(input.eventId as string, input);
            expected.push('recorded');
          } else {
            const first = stored.get(input.eventId as string);
            expected.push(first?.interactionType === input.interactionType ? 'recorded' : 'CONFLICT');
          }
        }
        const outcome = (result: { outcome: string; error?: { code: string } }) =>
          result.outcome === 'recorded' ? 'recorded' : (result.error?.code ?? 'unknown');

        const first = await matchloop.feedbackLearning.recordInteractions.mutate({ interactions: sent });
        expect(first.results.map(outcome)).toEqual(expected);
        expect(await storedIds(sessionId)).toEqual([...stored.keys()].sort());
        const retried = await matchloop.feedbackLearning.recordInteractions.mutate({ interactions: sent });
        expect(retried).toEqual(first);
        expect(await storedIds(sessionId)).toEqual([...stored.keys()].sort());
      }),
      { seed: 20_261_127, numRuns: 25 },
    );
  });

  it('answers a retried request as the first time and stores nothing twice, copies within it included', async () => {
    const matchloop = server.client();
    const { sessionId } = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());
    const first = interaction(0, { sessionId });
    const interactions = [
      first,
      interaction(1, { sessionId }),
      first,
      interaction(0, { sessionId: randomUUID() }),
    ];

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      answers.push(await matchloop.feedbackLearning.recordInteractions.mutate({ interactions }));
    }

    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    const [firstCopy, , secondCopy, refused] = answers[0]?.results ?? [];
    expect(firstCopy).toMatchObject({ outcome: 'recorded', eventId: first.eventId });
    expect(secondCopy).toEqual(firstCopy);
    expect(refused).toMatchObject({ outcome: 'refused', error: { code: 'NOT_FOUND' } });
    expect(await prisma().recommendationInteraction.count({ where: { sessionId } })).toBe(2);
  });

  it('lets a key for one customer record only into that customer’s sessions', async () => {
    const admin = server.client();
    const acmeSession = await admin.feedbackLearning.startSession.mutate(
      sessionRequest({ customerId: 'acme' }),
    );
    const globexSession = await admin.feedbackLearning.startSession.mutate(
      sessionRequest({ customerId: 'globex' }),
    );
    const acmeOnly = server.client(await server.createKey(['ingest'], 'acme'));

    const { results } = await acmeOnly.feedbackLearning.recordInteractions.mutate({
      interactions: [
        interaction(0, { sessionId: acmeSession.sessionId }),
        interaction(0, { sessionId: globexSession.sessionId }),
      ],
    });

    expect(results.map(({ outcome }) => outcome)).toEqual(['recorded', 'refused']);
    // Exactly as a session that does not exist: the key cannot even learn that it does.
    expect(results[1]).toEqual({
      outcome: 'refused',
      error: { code: 'NOT_FOUND', message: `No session ${globexSession.sessionId}` },
    });
    expect(
      await prisma().recommendationInteraction.count({ where: { sessionId: acmeSession.sessionId } }),
    ).toBe(1);
    expect(
      await prisma().recommendationInteraction.count({ where: { sessionId: globexSession.sessionId } }),
    ).toBe(0);
  });

  it('needs the ingest scope', async () => {
    const reader = server.client(await server.createKey(['read']));
    const refusal = await reader.feedbackLearning.recordInteractions
      .mutate({ interactions: [interaction(0)] })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MatchloopError);
    expect((refusal as MatchloopError<never>).data).toMatchObject({ httpStatus: 403 });
  });

  it('is mirrored as plain JSON REST', async () => {
    const recorded = interaction(0);
    const unknownSession = randomUUID();
    const response = await fetch(`${server.url}/feedback-learning/record-interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await server.createKey(['ingest'])}`,
      },
      body: JSON.stringify({ interactions: [recorded, interaction(1, { sessionId: unknownSession })] }),
    });

    expect(response.status).toBe(200);
    const stored = await prisma().recommendationInteraction.findUniqueOrThrow({
      where: { id: recorded.eventId },
    });
    expect(await response.json()).toEqual({
      results: [
        {
          outcome: 'recorded',
          eventId: recorded.eventId,
          sessionId: session.sessionId,
          recordedAt: stored.createdAt.toISOString(),
        },
        { outcome: 'refused', error: { code: 'NOT_FOUND', message: `No session ${unknownSession}` } },
      ],
    });
  });

  it(`refuses the whole request, with 400 naming where, when it is malformed or holds over ${MAX_INTERACTIONS_PER_REQUEST}`, async () => {
    const matchloop = server.client();
    const refusal = async (interactions: RecordInteractionInput[]) => {
      const error = await matchloop.feedbackLearning.recordInteractions
        .mutate({ interactions })
        .catch((caught: unknown) => caught);
      if (!(error instanceof MatchloopError)) throw new Error('expected the request to be refused');
      return {
        status: error.data?.httpStatus,
        paths: (error.data?.zodIssues ?? []).map(({ path }: { path: (string | number)[] }) => path.join('.')),
      };
    };
    const tooMany = Array.from({ length: MAX_INTERACTIONS_PER_REQUEST + 1 }, (_, index) =>
      interaction(index),
    );

    expect(await refusal(tooMany)).toEqual({ status: 400, paths: ['interactions'] });
    expect(await refusal([])).toEqual({ status: 400, paths: ['interactions'] });
    const malformed = [interaction(0), interaction(1, { timeSpentSeconds: -1 })];
    expect(await refusal(malformed)).toEqual({ status: 400, paths: ['interactions.1.timeSpentSeconds'] });
    expect(
      await prisma().recommendationInteraction.count({
        where: { id: { in: [...tooMany, ...malformed].map(({ eventId }) => eventId) } },
      }),
    ).toBe(0);
  });
});
