import { FACTORS } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import { type ChoiceCsv, parseChoiceCsv } from './choice-csv';
import { ChoiceEvaluationError, evaluateChoiceModel } from './evaluation';
import { type MarketSegmentTruth, seededRandom, simulateChoice } from './testing/synthetic-market';

const header = 'session_id,customer_id,manufacturer_id,rank,chosen,cost,quality';

/** Two-option sessions in which the cheaper option (higher cost score) is usually, not always, chosen. */
const forcedChoiceRows = [
  's1,c1,m1,1,1,0.9,0.2',
  's1,c1,m2,2,0,0.1,0.6',
  's2,c1,m1,1,0,0.3,0.5',
  's2,c1,m2,2,1,0.8,0.4',
  's3,c2,m1,1,0,0.7,0.1',
  's3,c2,m2,2,1,0.2,0.9',
  's4,c2,m1,1,1,0.6,0.3',
  's4,c2,m2,2,0,0.4,0.5',
];

function csv(rows: readonly string[]): ChoiceCsv {
  return parseChoiceCsv([header, ...rows].join('\n'));
}

/** A simulated study as if it had been read from a CSV file. */
function simulatedStudy(truth: MarketSegmentTruth, sessions: number, seed: number): ChoiceCsv {
  const random = seededRandom(seed);
  return {
    factorNames: FACTORS,
    sessions: Array.from({ length: sessions }, (_, index) => {
      const observation = simulateChoice(
        truth,
        { optionsPerSession: 10, presentationWeights: truth.weights },
        random,
      );
      return {
        sessionId: `s${index}`,
        customerId: `c${index % 100}`,
        manufacturerIds: observation.options.map((option) => `m${option.rank}`),
        observation,
        firstLine: index * 10 + 2,
      };
    }),
  };
}

const positionBiasedMarket: MarketSegmentTruth = {
  weights: [0.3, 0.2, 0.1, 0.1, 0.2, 0.1],
  scale: 6,
  positionEffects: [0, -0.4, -0.7, -0.9, -1, -1.1],
  noneUtility: 2,
};

describe('evaluateChoiceModel', () => {
  it('fits a forced-choice study without a none option or position effects', () => {
    const evaluation = evaluateChoiceModel(csv(forcedChoiceRows), null, { positionEffects: false });
    expect(evaluation.spec).toEqual({ factorCount: 2, positionLevels: 1, noneOption: false });
    expect(evaluation.factorNames).toEqual(['cost', 'quality']);
    expect(evaluation.trainSessions).toBe(4);
    expect(evaluation.batch.converged).toBe(true);
    expect(evaluation.batch.summary.noneConstant).toBeNull();
    expect(evaluation.batch.summary.positionEffects).toHaveLength(0);
    expect(evaluation.batch.nullLogLikelihood).toBeCloseTo(4 * Math.log(1 / 2), 12);
    expect(evaluation.batch.trainLogLikelihood).toBeGreaterThan(evaluation.batch.nullLogLikelihood);
    // The batch fit is the maximum; the online pass can approach it but never beat it.
    expect(evaluation.online.trainLogLikelihood).toBeLessThanOrEqual(evaluation.batch.trainLogLikelihood);
    expect(evaluation.test).toBeNull();
  });

  it('offers none when some training session chose none, in the test sessions too', () => {
    const train = csv([...forcedChoiceRows, 's5,c3,m1,1,0,0.5,0.5', 's5,c3,m2,2,0,0.4,0.4']);
    // One option, chosen: certain without a none alternative, uncertain with one.
    const test = csv(['t1,c9,m1,1,1,0.5,0.5']);
    const evaluation = evaluateChoiceModel(train, test, { positionEffects: false });
    expect(evaluation.spec.noneOption).toBe(true);
    expect(evaluation.batch.summary.noneConstant).toEqual(expect.any(Number));
    expect(evaluation.test?.sessions).toBe(1);
    expect(evaluation.test?.meanLogLikelihood).toBeLessThan(-1e-3);
  });

  it('fits position effects for the ranks the data show, up to the product model depth', () => {
    const study = simulatedStudy(positionBiasedMarket, 3000, 7);
    const plain = evaluateChoiceModel(study, null, { positionEffects: false });
    const positional = evaluateChoiceModel(study, null, { positionEffects: true });
    expect(positional.spec).toEqual({ factorCount: 6, positionLevels: 5, noneOption: true });
    expect(positional.batch.summary.positionEffects).toHaveLength(4);
    expect(positional.batch.summary.positionEffects[0]).toBeLessThan(-0.2);
    // The models are nested, so the larger one fits the same data at least as well.
    expect(positional.batch.trainLogLikelihood).toBeGreaterThan(plain.batch.trainLogLikelihood);
  });

  it('fits no position effect deeper than the deepest rank in the training data', () => {
    const evaluation = evaluateChoiceModel(csv(forcedChoiceRows), null, { positionEffects: true });
    expect(evaluation.spec.positionLevels).toBe(2);
    expect(evaluation.batch.summary.positionEffects).toHaveLength(1);
  });

  it('rejects a test file whose factor columns differ from the training file', () => {
    const test = parseChoiceCsv(
      ['session_id,customer_id,manufacturer_id,rank,chosen,quality,cost', 't1,c9,m1,1,1,0.5,0.5'].join('\n'),
    );
    expect(() => evaluateChoiceModel(csv(forcedChoiceRows), test, { positionEffects: false })).toThrow(
      new ChoiceEvaluationError(
        "the test file's factor columns (quality, cost) differ from the training file's (cost, quality)",
      ),
    );
  });

  it('rejects a test session that chose none when the training study never did', () => {
    const test = csv(['t1,c9,m1,1,1,0.5,0.5', 't2,c9,m1,1,0,0.5,0.5']);
    expect(() => evaluateChoiceModel(csv(forcedChoiceRows), test, { positionEffects: false })).toThrow(
      /test session t2 \(line 3\) chose none, but no training session did/,
    );
  });
});
