import { randomUUID } from 'node:crypto';
import type { Database } from '@matchloop/db';
import { openTestDatabase, testDatabaseKinds } from '@matchloop/db/testing';
import { FACTORS, type FactorScores, type RecordInteractionInput } from '@matchloop/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServices, type Services } from '.';

const FACTOR_SCORES = Object.fromEntries(FACTORS.map((factor) => [factor, 0.5])) as FactorScores;

describe.each(testDatabaseKinds())('checking interactions against the sessions shown, on %s', (kind) => {
  let database: Database;
  /** Two servers sharing one database, as behind a load balancer. */
  let opener: Services;
  let recorder: Services;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    opener = await openServices(database, { version: 'test' });
    recorder = await openServices(database, { version: 'test' });
  });
  afterEach(() => database.close());

  const openSession = (services: Services, sessionId: string, customerId = 'customer-1') =>
    services.feedback.startSession({
      sessionId,
      customerId,
      candidates: ['maker-a', 'maker-b'].map((manufacturerId) => ({
        manufacturerId,
        factors: FACTOR_SCORES,
      })),
      order: 'as_given',
    });
  const viewed = (sessionId: string, manufacturerId = 'maker-a'): RecordInteractionInput => ({
    sessionId,
    manufacturerId,
    interactionType: 'viewed',
  });
  const refusal = (attempt: Promise<unknown>) =>
    attempt.then(
      () => 'recorded',
      (error: { code?: string }) => error.code,
    );

  it('checks an interaction on a session another server opened as that server would', async () => {
    const sessionId = randomUUID();
    await openSession(opener, sessionId);
    for (const services of [opener, recorder]) {
      expect(await refusal(services.feedback.recordInteraction(viewed(sessionId, 'maker-z'), null))).toBe(
        'BAD_REQUEST',
      );
      expect(await refusal(services.feedback.recordInteraction(viewed(sessionId), 'customer-2'))).toBe(
        'NOT_FOUND',
      );
      expect(await refusal(services.feedback.recordInteraction(viewed(sessionId), 'customer-1'))).toBe(
        'recorded',
      );
    }
  });

  it('refuses a manufacturer that is only part of one shown, or of several together', async () => {
    const sessionId = randomUUID();
    await openSession(opener, sessionId);
    for (const services of [opener, recorder]) {
      for (const manufacturerId of ['maker', 'aker-a', 'maker-a\0maker-b', 'maker-a\0', '', 'MAKER-A']) {
        expect(
          await refusal(services.feedback.recordInteraction(viewed(sessionId, manufacturerId), null)),
        ).toBe('BAD_REQUEST');
      }
      expect(await refusal(services.feedback.recordInteraction(viewed(sessionId, 'maker-b'), null))).toBe(
        'recorded',
      );
    }
  });

  it('records an interaction on a session refused as unknown once the session is opened', async () => {
    const sessionId = randomUUID();
    expect(await refusal(recorder.feedback.recordInteraction(viewed(sessionId), null))).toBe('NOT_FOUND');
    await openSession(opener, sessionId);
    expect(await refusal(recorder.feedback.recordInteraction(viewed(sessionId), null))).toBe('recorded');
  });

  it('reads an upper-case session id as the session it names', async () => {
    const sessionId = randomUUID();
    await openSession(opener, sessionId.toUpperCase());
    for (const services of [opener, recorder]) {
      const recorded = await services.feedback.recordInteraction(viewed(sessionId.toUpperCase()), null);
      expect(recorded.sessionId).toBe(sessionId);
    }
  });
});
