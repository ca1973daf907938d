import { describe, expect, it } from 'vitest';
import { seededRandom, simulateChoice } from '../testing/synthetic-market';
import { fitBatch } from './batch';
import { logLikelihood } from './metrics';
import { createOnlineWorkspace, createPosterior, fitOnline, updatePosterior } from './online';
import type { ChoiceModelSpec, ChoiceObservation } from './specification';
import { summarizeParameters } from './summary';

const spec: ChoiceModelSpec = { factorCount: 6, positionLevels: 4, noneOption: true };
const truth = {
  weights: [0.3, 0.25, 0.2, 0.1, 0.1, 0.05],
  scale: 10,
  positionEffects: [0, -0.3, -0.6, -0.8],
  noneUtility: 4,
};

function simulate(count: number, seed: number): ChoiceObservation[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    simulateChoice(
      truth,
      { optionsPerSession: 8, presentationWeights: [0.2, 0.2, 0.2, 0.1, 0.2, 0.1] },
      random,
    ),
  );
}

describe('the online Laplace update', () => {
  const observations = simulate(4000, 11);

  it('matches the batch maximum-likelihood fit after a single pass', () => {
    const online = fitOnline(observations, spec);
    const batch = fitBatch(observations, spec);
    expect(logLikelihood(online.mean, spec, observations) / batch.logLikelihood - 1).toBeLessThan(0.001);
    const onlineWeights = summarizeParameters(online.mean, null, spec).weights;
    const batchWeights = summarizeParameters(batch.parameters, null, spec).weights;
    onlineWeights.forEach((weight, k) => {
      expect(Math.abs(weight - (batchWeights[k] as number))).toBeLessThan(0.01);
    });
    expect(online.sampleSize).toBe(4000);
  });

  it('keeps every β non-negative', () => {
    const repelled = observations.map((observation) => ({
      ...observation,
      chosenIndex: observation.options.reduce(
        (worst, option, index, options) =>
          (option.factors[0] as number) < ((options[worst]?.factors[0] as number) ?? 1) ? index : worst,
        0,
      ),
    }));
    const online = fitOnline(repelled, spec);
    expect(online.mean[0]).toBe(0);
    for (let k = 0; k < 6; k++) expect(online.mean[k]).toBeGreaterThanOrEqual(0);
  });

  it('returns the log-probability it gave the choice before learning from it', () => {
    const posterior = createPosterior(spec, new Float64Array(10), new Float64Array(10).fill(1));
    const first = observations[0] as ChoiceObservation;
    const before = logLikelihood(posterior.mean, spec, [first]);
    const returned = updatePosterior(
      posterior,
      spec,
      first,
      { discount: 1, weight: 1, nonNegativeFactors: true },
      createOnlineWorkspace(spec),
    );
    expect(returned).toBe(before);
  });

  it('moves with its prior: with no evidence, the mean follows the prior mean exactly', () => {
    const posterior = createPosterior(spec, new Float64Array(10), new Float64Array(10).fill(2));
    const target = Float64Array.from([1, 2, 3, 4, 5, 6, -1, -2, -3, 1]);
    updatePosterior(
      posterior,
      spec,
      observations[0] as ChoiceObservation,
      { discount: 1, weight: 0, nonNegativeFactors: true, priorMean: target },
      createOnlineWorkspace(spec),
    );
    posterior.mean.forEach((value, i) => {
      expect(value).toBeCloseTo(target[i] as number, 12);
    });
    expect(Array.from(posterior.priorMean)).toEqual(Array.from(target));
  });

  it('forgets: the precision decays back towards the prior', () => {
    const posterior = fitOnline(observations.slice(0, 500), spec, { priorPrecision: 0.5 });
    const workspace = createOnlineWorkspace(spec);
    const informed = posterior.precision[0] as number;
    for (let i = 0; i < 2000; i++) {
      updatePosterior(
        posterior,
        spec,
        observations[i] as ChoiceObservation,
        { discount: 0.99, weight: 0, nonNegativeFactors: true },
        workspace,
      );
    }
    expect(informed).toBeGreaterThan(10);
    expect(posterior.precision[0]).toBeCloseTo(0.5, 6);
    expect(posterior.precision[1]).toBeCloseTo(0, 6);
  });

  it('refuses a prior that would leave the precision singular', () => {
    expect(() => createPosterior(spec, new Float64Array(10), new Float64Array(10))).toThrow(
      'prior precision 0 must be a positive',
    );
    expect(() => createPosterior(spec, new Float64Array(3), new Float64Array(3).fill(1))).toThrow(
      '10 entries',
    );
  });
});
