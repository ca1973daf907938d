import {
  CHOICE_TRANSACTION_OPTIONS,
  countCustomerChoices,
  findChoice,
  findSession,
  insertChoice,
  isUniqueViolation,
  lockChoiceLog,
  type StoredChoice,
  type StoredSession,
  setSessionStatus,
  toShownFactors,
} from '@matchloop/db';
import type { RecordChoiceInput, RecordChoiceOutput } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import {
  idReusedForDifferentRequest,
  manufacturerNotShown,
  mayActOnSession,
  sessionNotFound,
} from './errors';
import { requestFingerprint } from './fingerprint';

/**
 * Logs the session's outcome and folds it into the learner in one transaction, under the choice log's
 * lock, so that concurrent choices on any number of servers are learned from one at a time, in log order.
 */
export async function recordChoice(
  deps: ServiceDependencies,
  input: RecordChoiceInput,
  actingFor: string | null,
): Promise<RecordChoiceOutput> {
  const { prisma } = deps.database;
  const session = await findSession(prisma, input.sessionId);
  if (!session || !mayActOnSession(actingFor, session.customerId)) throw sessionNotFound(input.sessionId);
  const chosenRank = rankOfChoice(session, input.chosenManufacturerId);
  const requestHash = requestFingerprint(input);

  if (session.choice) return replayed(session, session.choice, requestHash);

  try {
    const { written: choice, publish } = await prisma.$transaction(async (tx) => {
      await lockChoiceLog(tx);
      await deps.learning.catchUp(tx);
      const customerChoiceNumber = (await countCustomerChoices(tx, session.customerId)) + 1;
      const logged = {
        segment: session.segment,
        customerChoiceNumber,
        chosenRank,
        importantFactors: input.importantFactors ?? [],
        shownFactors: toShownFactors(session.recommendations),
      };
      return deps.learning.append(tx, logged, async (learned) => {
        await setSessionStatus(tx, session.id, chosenRank === null ? 'none_chosen' : 'chosen');
        return insertChoice(tx, {
          ...input,
          customerId: session.customerId,
          segment: session.segment,
          chosenRank,
          customerChoiceNumber,
          shownFactors: logged.shownFactors,
          learnedWeightsVersion: learned.version,
          learnedSampleSize: learned.sampleSize,
          learnedConfidence: learned.confidence,
          requestHash,
        });
      });
    }, CHOICE_TRANSACTION_OPTIONS);
    publish();
    deps.metrics.eventsIngested.inc({ type: chosenRank === null ? 'choice_none' : 'choice' });
    return toOutput(session, choice);
  } catch (error) {
    // A concurrent retry of the same choice got there first: answer as it did.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findChoice(prisma, session.id);
    if (!winner) throw error;
    return replayed(session, winner, requestHash);
  }
}

/** The presented rank of the chosen manufacturer; null when the customer chose none. */
function rankOfChoice(session: StoredSession, manufacturerId: string | null): number | null {
  if (manufacturerId === null) return null;
  const shown = session.recommendations.find(
    (recommendation) => recommendation.manufacturerId === manufacturerId,
  );
  if (!shown) throw manufacturerNotShown(manufacturerId, session.id);
  return shown.rank;
}

function replayed(session: StoredSession, choice: StoredChoice, requestHash: string): RecordChoiceOutput {
  if (choice.requestHash !== requestHash)
    throw idReusedForDifferentRequest('A choice for session', session.id);
  return toOutput(session, choice);
}

function toOutput(session: StoredSession, choice: StoredChoice): RecordChoiceOutput {
  return {
    sessionId: session.id,
    chosenManufacturerId: choice.chosenManufacturerId,
    chosenRank: choice.chosenRank,
    learning: {
      segment: session.segment,
      weightsVersion: choice.learnedWeightsVersion,
      sampleSize: choice.learnedSampleSize,
      confidence: choice.learnedConfidence,
    },
  };
}
