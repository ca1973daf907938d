import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '@matchloop/db';
import { logChoiceDirectly, openTestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { DEFAULT_LEARNING_CONFIG } from '@matchloop/learning';
import {
  FACTORS,
  type FactorScores,
  type RecordChoiceInput,
  type StartSessionOutput,
} from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LearningOptions, learningOptions, openServices, type ServiceOptions } from '.';
import { Learning } from './learning';
import { replayLearning } from './replay';

/** Four manufacturers whose factors vary with `seed`, so that every choice teaches something. */
function candidates(seed: number) {
  return [0, 1, 2, 3].map((j) => ({
    manufacturerId: `maker-${j}`,
    factors: Object.fromEntries(
      FACTORS.map((factor, k) => [factor, ((seed * 7 + j * 13 + k * 5) % 11) / 10]),
    ) as FactorScores,
  }));
}

/** Every call's answer, or the code of its error: what each caller of a round was told. */
function outcomes<T>(results: PromiseSettledResult<T>[]): (T | string)[] {
  return results.map((result) =>
    result.status === 'fulfilled' ? result.value : (result.reason as { code: string }).code,
  );
}

const digest = (learning: Learning) => createHash('sha256').update(learning.serialize()).digest('hex');

/**
 * The database, with `afterStatement` run after each of the hot paths' statements has answered and before
 * the server hears the answer, given the statement's name.
 */
function observed(
  database: Database,
  afterStatement: (name: string) => Promise<unknown> | undefined,
): Database {
  return {
    prisma: database.prisma,
    target: database.target,
    migrate: () => database.migrate(),
    changes: () => database.changes(),
    close: async () => {},
    statements: {
      async run(statement, values) {
        const rows = await database.statements.run(statement, values);
        await afterStatement(statement.name);
        return rows;
      },
    },
  };
}

describe.each(testDatabaseKinds())('recording choices in rounds, on %s', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(() => database.close());

  async function open(
    options: LearningOptions = learningOptions(),
    logger?: NonNullable<ServiceOptions['logger']>,
  ) {
    const services = await openServices(database, {
      version: 'test',
      learning: options,
      ...(logger && { logger }),
    });
    let seed = 0;
    const startSession = (customerId = `customer-${seed}`) =>
      services.feedback.startSession({ customerId, candidates: candidates(seed++), order: 'as_given' });
    /** A choice of the option at `rank`, or of none. */
    const choice = (session: StartSessionOutput, rank: number | null): RecordChoiceInput => ({
      sessionId: session.sessionId,
      chosenManufacturerId:
        rank === null ? null : (session.recommendations[rank - 1]?.manufacturerId ?? null),
    });
    /** The calls all start in one tick, as concurrent requests do, so they are recorded in one round. */
    const inOneRound = (choices: RecordChoiceInput[], actingFor: string | null = null) =>
      Promise.allSettled(choices.map((input) => services.feedback.recordChoice(input, actingFor)));
    const log = () =>
      database.prisma.customerChoice.findMany({
        orderBy: { sequence: 'asc' },
        select: {
          sequence: true,
          sessionId: true,
          customerChoiceNumber: true,
          learnedWeightsVersion: true,
        },
      });
    return { services, startSession, choice, inOneRound, log };
  }

  it('answers each choice of a round on its own, and stores only those it accepts', async () => {
    const { services, startSession, choice, inOneRound, log } = await open();
    const chosenBefore = await startSession();
    const fine = await startSession();
    const notShown = await startSession();
    const twice = await startSession();
    const conflicting = await startSession();
    const othersSession = await startSession();
    const first = await services.feedback.recordChoice(choice(chosenBefore, 1), null);

    const round = await inOneRound([
      choice(fine, 2),
      { sessionId: randomUUID(), chosenManufacturerId: 'maker-0' },
      { sessionId: notShown.sessionId, chosenManufacturerId: 'never-shown' },
      choice(chosenBefore, 3),
      choice(chosenBefore, 1),
      choice(twice, null),
      choice(twice, null),
      choice(conflicting, 1),
      choice(conflicting, 2),
    ]);
    const [recorded, unknown, refused, changedMind, retried, none, noneAgain, kept, secondThoughts] =
      outcomes(round);
    expect(recorded).toMatchObject({ chosenRank: 2, learning: { weightsVersion: 2 } });
    expect(unknown).toBe('NOT_FOUND');
    expect(refused).toBe('BAD_REQUEST');
    expect(changedMind).toBe('CONFLICT');
    expect(retried).toEqual(first);
    expect(none).toMatchObject({ chosenRank: null, learning: { weightsVersion: 3 } });
    expect(noneAgain).toEqual(none);
    expect(kept).toMatchObject({ chosenRank: 1, learning: { weightsVersion: 4 } });
    expect(secondThoughts).toBe('CONFLICT');
    // A key acting for one customer is told another customer's session does not exist.
    expect(outcomes(await inOneRound([choice(othersSession, 1)], 'someone-else'))).toEqual(['NOT_FOUND']);

    expect(
      (await log()).map(({ sessionId, learnedWeightsVersion }) => [sessionId, learnedWeightsVersion]),
    ).toEqual([
      [chosenBefore.sessionId, 1],
      [fine.sessionId, 2],
      [twice.sessionId, 3],
      [conflicting.sessionId, 4],
    ]);
    const status = async ({ sessionId }: StartSessionOutput) =>
      (await database.prisma.matchingFeedbackSession.findUniqueOrThrow({ where: { id: sessionId } })).status;
    expect(await Promise.all([fine, notShown, twice, othersSession].map(status))).toEqual([
      'chosen',
      'open',
      'none_chosen',
      'open',
    ]);
  });

  it("numbers a customer's choices across a round, so that the cap holds within one round too", async () => {
    const cap = 3;
    const { services, startSession, choice, inOneRound, log } = await open(
      learningOptions({ config: { ...DEFAULT_LEARNING_CONFIG, customerChoiceCap: cap } }),
    );
    const sessions = [];
    for (let i = 0; i < 6; i++) sessions.push(await startSession('eager'));
    const [earlier, ...rest] = sessions as [StartSessionOutput, ...StartSessionOutput[]];
    await services.feedback.recordChoice(choice(earlier, 1), null);

    const answers = outcomes(await inOneRound(rest.map((session) => choice(session, 1))));
    expect((await log()).map(({ customerChoiceNumber }) => customerChoiceNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    // Every choice counts towards the version, only the first `cap` of the customer's teach the learner.
    expect(answers).toMatchObject(
      [2, 3, 3, 3, 3].map((sampleSize, index) => ({ learning: { weightsVersion: index + 2, sampleSize } })),
    );
  });

  it("appends a round that another server's choice overtook after that choice, learning in log order", async () => {
    const other = await open();
    // This server's database runs `overtake`, once set, after the statement it is running has answered:
    // between the round's read of its sessions and its append.
    let overtake: (() => Promise<unknown>) | undefined;
    const overtakenDatabase = observed(database, () => {
      const overtaking = overtake;
      overtake = undefined;
      return overtaking?.();
    });
    const services = await openServices(overtakenDatabase, { version: 'test', learning: learningOptions() });
    const { startSession, choice, log } = other;
    const mine = await startSession('overtaken');
    const theirs = await startSession('overtaking');
    overtake = () => other.services.feedback.recordChoice(choice(theirs, 2), null);

    const answer = await services.feedback.recordChoice(choice(mine, 1), null);

    expect(
      (await log()).map(({ sessionId, learnedWeightsVersion }) => [sessionId, learnedWeightsVersion]),
    ).toEqual([
      [theirs.sessionId, 1],
      [mine.sessionId, 2],
    ]);
    expect(answer).toMatchObject({ chosenRank: 1, learning: { weightsVersion: 2 } });
    // What this server serves is what a learner folding the log from its start learns.
    const { segment } = answer.learning;
    const fromTheLog = (await Learning.open(database.prisma, learningOptions())).serve(segment);
    expect(await services.feedback.weights({ segment })).toMatchObject({
      version: 2,
      values: fromTheLog.values,
      confidence: fromTheLog.confidence,
    });
  });

  it('appends a round that another server overtakes at every read, once the log is locked to it', async () => {
    const other = await open();
    const { startSession, choice, log } = other;
    const mine = await startSession('overtaken');
    let overtaking = 0;
    // After every read of the round's sessions, before its append, the other server logs a choice.
    const overtakenDatabase = observed(database, async (name) => {
      if (name !== 'find-choosable-sessions') return;
      overtaking += 1;
      await other.services.feedback.recordChoice(
        choice(await startSession(`overtaking-${overtaking}`), 2),
        null,
      );
    });
    const services = await openServices(overtakenDatabase, { version: 'test', learning: learningOptions() });

    const answer = await services.feedback.recordChoice(choice(mine, 1), null);

    const logged = await log();
    expect(overtaking).toBeGreaterThan(0);
    expect(logged).toHaveLength(overtaking + 1);
    expect(logged.at(-1)).toMatchObject({ sessionId: mine.sessionId, learnedWeightsVersion: overtaking + 1 });
    expect(answer).toMatchObject({ chosenRank: 1, learning: { weightsVersion: overtaking + 1 } });
  });

  it('learns every choice another server logged before appending its own, however many it missed', async () => {
    const other = await open();
    const services = await openServices(database, { version: 'test', learning: learningOptions() });
    const { startSession, choice, log } = other;
    // More than the four reads of a round that ends under the lock bring along: the rest are read from the log.
    const missed = 210;
    for (let i = 0; i < missed; i++)
      await other.services.feedback.recordChoice(choice(await startSession(), 1 + (i % 4)), null);
    const theirs = await startSession('chosen-here');

    const answer = await services.feedback.recordChoice(choice(theirs, 3), null);

    expect((await log()).at(-1)).toMatchObject({
      sessionId: theirs.sessionId,
      learnedWeightsVersion: missed + 1,
    });
    const fromTheLog = (await Learning.open(database.prisma, learningOptions())).serve(
      answer.learning.segment,
    );
    expect(await services.feedback.weights({ segment: answer.learning.segment })).toMatchObject({
      version: missed + 1,
      values: fromTheLog.values,
      confidence: fromTheLog.confidence,
    });
  });

  it('writes a checkpoint crossed mid-round exactly as a replay of the log up to it would', async () => {
    const options = learningOptions({ checkpointInterval: 7 });
    const { services, startSession, choice, inOneRound, log } = await open(options);
    const someChoice = (session: StartSessionOutput, i: number) =>
      choice(session, i % 5 === 0 ? null : (i % 4) + 1);
    for (let i = 0; i < 3; i++)
      await services.feedback.recordChoice(someChoice(await startSession(), i), null);
    const sessions = [];
    for (let i = 0; i < 12; i++) sessions.push(await startSession());
    // Choices 4 to 15: the 7th and the 14th choice of the log are in the middle of the round.
    const round = await inOneRound(sessions.map(someChoice));
    expect(round.every((result) => result.status === 'fulfilled')).toBe(true);
    await services.checkpoints.stored();

    const checkpoint = async (version: number) =>
      (await database.prisma.learningWeights.findMany({ where: { version }, orderBy: { scope: 'asc' } })).map(
        ({ id, createdAt, ...row }) => row,
      );
    const sequenceOf = async (version: number) =>
      (await log()).find(({ learnedWeightsVersion }) => learnedWeightsVersion === version)?.sequence;
    const live = { 7: await checkpoint(7), 14: await checkpoint(14) };
    expect(live[7][0]).toMatchObject({ version: 7, choiceSequence: await sequenceOf(7) });
    expect(live[14][0]).toMatchObject({ version: 14, choiceSequence: await sequenceOf(14) });

    // A server opening now resumes from the checkpoint at 14 and folds in the 15th: the same learner as
    // a replay of the whole log.
    const resumed = digest(await Learning.open(database.prisma, options));
    expect((await replayLearning(database, options)).digest).toBe(resumed);

    // Replaying the log cut back to the checkpoint's choice writes that very checkpoint.
    for (const version of [14, 7] as const) {
      await database.prisma.customerChoice.deleteMany({
        where: { sequence: { gt: (await sequenceOf(version)) ?? 0n } },
      });
      await replayLearning(database, options);
      expect(await checkpoint(version)).toEqual(live[version]);
    }
  });

  it('answers choices whose checkpoint the database refuses, and reports the checkpoint', async () => {
    const reported: string[] = [];
    const logger = {
      info() {},
      warn() {},
      error: (_details: object, message: string) => reported.push(message),
    };
    const { services, startSession, choice, inOneRound } = await open(
      learningOptions({ checkpointInterval: 2 }),
      logger,
    );
    // A check no row passes: every checkpoint is refused.
    await database.prisma.$executeRawUnsafe(
      'ALTER TABLE "LearningWeights" ADD CONSTRAINT "refuses_every_row" CHECK (false) NOT VALID',
    );
    const sessions = [await startSession(), await startSession(), await startSession()];

    const round = await inOneRound(sessions.map((session) => choice(session, 1)));
    expect(round.map(({ status }) => status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    await services.checkpoints.stored();
    expect(reported).toEqual([expect.stringContaining('learning checkpoint could not be stored')]);
    expect(await database.prisma.learningWeights.count()).toBe(0);
    expect(await database.prisma.customerChoice.count()).toBe(3);
  });
  /** A server whose hot-path statements are noted, by name, in `ran`. */
  async function openObserved() {
    const ran: string[] = [];
    const services = await openServices(
      observed(database, (name) => {
        ran.push(name);
        return undefined;
      }),
      { version: 'test', learning: learningOptions() },
    );
    let seed = 100;
    const startSession = (customerId: string) =>
      services.feedback.startSession({ customerId, candidates: candidates(seed++), order: 'as_given' });
    return { services, ran, startSession };
  }

  /** Resolves once the change feed has announced the next choice logged. */
  async function nextAnnouncement(): Promise<void> {
    const feed = await database.changes();
    return new Promise((resolve) => {
      const unsubscribe = feed.subscribe({
        choiceLogged: () => {
          unsubscribe();
          resolve();
        },
      });
    });
  }

  it('records a choice in a session it opened in one statement, and reads the sessions of others first', async () => {
    const here = await openObserved();
    const elsewhere = await open();
    const opened = await here.startSession('returning');
    const openedElsewhere = await elsewhere.startSession('newcomer');

    here.ran.length = 0;
    const answer = await here.services.feedback.recordChoice(elsewhere.choice(opened, 2), null);
    expect(here.ran).toEqual(['append-choices']);
    expect(answer).toMatchObject({ chosenRank: 2, learning: { weightsVersion: 1, sampleSize: 1 } });

    here.ran.length = 0;
    await here.services.feedback.recordChoice(elsewhere.choice(openedElsewhere, 1), null);
    expect(here.ran).toEqual(['find-choosable-sessions', 'append-choices']);
    expect((await elsewhere.log()).map(({ customerChoiceNumber }) => customerChoiceNumber)).toEqual([1, 1]);
  });

  it("numbers a choice after the customer's choices this server learned from but was never told were theirs", async () => {
    const here = await openObserved();
    const elsewhere = await open();
    const opened = await here.startSession('returning');
    // A choice of theirs written as a restore from a backup writes it, announced to no server.
    await database.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
      await logChoiceDirectly(tx, {
        sessionId: randomUUID(),
        customerId: 'returning',
        chosenRank: 1,
        shownFactors: new Float64Array(2 * FACTORS.length).fill(0.5),
      });
    });
    // This server folds it in as it reads the log for a session it did not open.
    await here.services.feedback.recordChoice(
      elsewhere.choice(await elsewhere.startSession('newcomer'), 1),
      null,
    );

    here.ran.length = 0;
    const answer = await here.services.feedback.recordChoice(elsewhere.choice(opened, 1), null);
    // Appending as known is refused, as the customer has a choice more than this server kept of them.
    expect(here.ran).toEqual(['append-choices', 'find-choosable-sessions', 'append-choices']);
    expect(answer).toMatchObject({ learning: { weightsVersion: 3 } });
    const logged = (await elsewhere.log()).find(({ sessionId }) => sessionId === opened.sessionId);
    expect(logged).toMatchObject({ customerChoiceNumber: 2, learnedWeightsVersion: 3 });
  });

  it('answers a retry of a choice that another server logged in a session this one opened as it was answered there', async () => {
    const here = await openObserved();
    const elsewhere = await open();
    const opened = await here.startSession('returning');
    const announced = nextAnnouncement();
    const first = await elsewhere.services.feedback.recordChoice(elsewhere.choice(opened, 2), null);
    await announced;
    // The customer's next session has this server read their choices again, the one logged elsewhere too.
    await here.startSession('returning');

    here.ran.length = 0;
    const retried = await here.services.feedback.recordChoice(elsewhere.choice(opened, 2), null);
    expect(here.ran).toEqual(['append-choices', 'find-choosable-sessions']);
    expect(retried).toEqual(first);
    expect(await elsewhere.log()).toHaveLength(1);
  });
});
