import {
  choiceCountsByCustomer,
  type Database,
  existingSessionIds,
  type HistoricalSession,
  insertHistoricalSessions,
  insertLearningSnapshot,
  latestChoiceSequence,
  lockChoiceLog,
  type Prisma,
  toShownFactors,
} from '@matchloop/db';
import { type ChoiceCsv, type ChoiceCsvSession, scoreCandidate, segmentByRules } from '@matchloop/learning';
import { FACTORS, type FactorScores, MAX_CANDIDATES } from '@matchloop/schemas';
import { v5 as uuidv5 } from 'uuid';
import { RequestFingerprint } from './fingerprint';
import { Learning, type LearningOptions } from './learning';

export class HistoryImportError extends Error {
  override name = 'HistoryImportError';
}

export interface ImportResult {
  readonly sessions: number;
  /** Sessions in which a manufacturer was chosen; the others chose none. */
  readonly choices: number;
  /** Sessions of the file that an earlier import already brought in. */
  readonly alreadyImported: number;
}

/** Imported session ids derive from the file's own ids, so importing a file twice adds nothing. */
const IMPORTED_SESSION_NAMESPACE = '6f1c3f0e-5d2b-4c8e-9a71-3b2f8d4e6a10';
const BATCH_SIZE = 500;
const IMPORT_TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 3_600_000 } as const;

/**
 * Brings past sessions and their outcomes into the choice log to warm-start learning. The file's factor
 * columns must be the product's six factors. Everything is written in one transaction, so a failure
 * leaves nothing half-imported; a checkpoint of the learner is written at the end.
 */
export async function importChoiceHistory(
  database: Database,
  csv: ChoiceCsv,
  options: { source: string; learning: LearningOptions },
  onProgress: (imported: number, total: number) => void = () => {},
): Promise<ImportResult> {
  const factorColumn = productFactorColumns(csv.factorNames);
  for (const session of csv.sessions) {
    if (session.manufacturerIds.length > MAX_CANDIDATES) {
      throw new HistoryImportError(
        `line ${session.firstLine}: session ${session.sessionId} shows ${session.manufacturerIds.length} options; at most ${MAX_CANDIDATES} are allowed`,
      );
    }
  }

  return database.prisma.$transaction(async (tx) => {
    await lockChoiceLog(tx);
    const learning = await Learning.open(tx, options.learning);
    const fresh = await sessionsNotYetImported(tx, csv.sessions);
    const choicesSoFar = await choiceCountsByCustomer(tx, [...new Set(fresh.map((s) => s.customerId))]);
    let choices = 0;
    for (let start = 0; start < fresh.length; start += BATCH_SIZE) {
      const batch = fresh.slice(start, start + BATCH_SIZE).map((session) => {
        const customerChoiceNumber = (choicesSoFar.get(session.customerId) ?? 0) + 1;
        choicesSoFar.set(session.customerId, customerChoiceNumber);
        if (session.observation.chosenIndex !== null) choices += 1;
        return historicalSession(session, factorColumn, customerChoiceNumber, learning, options.source);
      });
      await insertHistoricalSessions(tx, batch);
      onProgress(Math.min(start + BATCH_SIZE, fresh.length), fresh.length);
    }
    if (fresh.length > 0) {
      learning.settle(await latestChoiceSequence(tx));
      await insertLearningSnapshot(tx, learning.checkpoint());
    }
    return { sessions: fresh.length, choices, alreadyImported: csv.sessions.length - fresh.length };
  }, IMPORT_TRANSACTION_OPTIONS);
}

/** Where each product factor sits among the file's factor columns. */
function productFactorColumns(factorNames: readonly string[]): Record<(typeof FACTORS)[number], number> {
  const missing = FACTORS.filter((factor) => !factorNames.includes(factor));
  const unknown = factorNames.filter((name) => !(FACTORS as readonly string[]).includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new HistoryImportError(
      `line 1: the factor columns must be exactly ${FACTORS.join(', ')}` +
        (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''),
    );
  }
  return Object.fromEntries(FACTORS.map((factor) => [factor, factorNames.indexOf(factor)])) as Record<
    (typeof FACTORS)[number],
    number
  >;
}

async function sessionsNotYetImported(
  tx: Prisma.TransactionClient,
  sessions: readonly ChoiceCsvSession[],
): Promise<ChoiceCsvSession[]> {
  const fresh: ChoiceCsvSession[] = [];
  for (let start = 0; start < sessions.length; start += BATCH_SIZE) {
    const batch = sessions.slice(start, start + BATCH_SIZE);
    const stored = await existingSessionIds(
      tx,
      batch.map((session) => importedSessionId(session.sessionId)),
    );
    fresh.push(...batch.filter((session) => !stored.has(importedSessionId(session.sessionId))));
  }
  return fresh;
}

function importedSessionId(fileSessionId: string): string {
  return uuidv5(fileSessionId, IMPORTED_SESSION_NAMESPACE);
}

/**
 * One past session as Matchloop would have stored it: ranked as shown in the file, scored with the weights
 * the learner serves at that point of the import, and its choice folded into the learner.
 */
function historicalSession(
  session: ChoiceCsvSession,
  factorColumn: Record<(typeof FACTORS)[number], number>,
  customerChoiceNumber: number,
  learning: Learning,
  source: string,
): HistoricalSession {
  // Past customers stated no preferences, so the rules place them in the default segment.
  const segment = segmentByRules(undefined);
  const served = learning.serve(segment);
  // Options come in presented order; numbering them 1..n keeps ranks gapless even if the file's are not.
  const shown = session.observation.options.map((option, index) => ({
    manufacturerId: session.manufacturerIds[index] as string,
    rank: index + 1,
    factors: Object.fromEntries(
      FACTORS.map((factor) => [factor, option.factors[factorColumn[factor]]]),
    ) as FactorScores,
  }));
  const probabilities = learning.predict(
    segment,
    shown.map((option) => option.factors),
  );
  const chosen = session.observation.chosenIndex === null ? null : shown[session.observation.chosenIndex];
  const id = importedSessionId(session.sessionId);
  const requestHash = new RequestFingerprint({ source, session: session.sessionId }).digest;
  const shownFactors = toShownFactors(shown.map((option) => option.factors));
  const learned = learning.foldAppended({
    segment,
    customerChoiceNumber,
    chosenRank: chosen?.rank ?? null,
    importantFactors: [],
    shownFactors,
  });
  return {
    session: {
      id,
      customerId: session.customerId,
      segment,
      segmentSource: 'rules',
      algorithmVersion: 'import',
      weightsVersion: served.version,
      weightsSource: served.source,
      weightsConfidence: served.confidence,
      weights: served.values,
      order: 'as_given',
      status: chosen ? 'chosen' : 'none_chosen',
      metadata: { importedFrom: source, sourceSessionId: session.sessionId },
      requestHash,
    },
    recommendations: shown.map((option, index) => {
      const score = scoreCandidate(option.factors, served.values);
      return {
        sessionId: id,
        manufacturerId: option.manufacturerId,
        rank: option.rank,
        score,
        predictedChoiceProbability: probabilities[index] ?? 0,
        ...option.factors,
      };
    }),
    choice: {
      sessionId: id,
      customerId: session.customerId,
      segment,
      chosenManufacturerId: chosen?.manufacturerId ?? null,
      chosenRank: chosen?.rank ?? null,
      importantFactors: [],
      customerChoiceNumber,
      shownFactors,
      learnedWeightsVersion: learned.version,
      learnedSampleSize: learned.sampleSize,
      learnedConfidence: learned.confidence,
      requestHash,
    },
  };
}
