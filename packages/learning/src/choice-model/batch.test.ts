import { describe, expect, it } from 'vitest';
import { type MarketSegmentTruth, seededRandom, simulateChoice } from '../testing/synthetic-market';
import { fitBatch } from './batch';
import { accumulateChoice, createLikelihoodWorkspace } from './likelihood';
import type { ChoiceModelSpec, ChoiceObservation } from './specification';

const spec: ChoiceModelSpec = { factorCount: 6, positionLevels: 3, noneOption: true };

function simulate(truth: MarketSegmentTruth, count: number, seed: number): ChoiceObservation[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    simulateChoice(truth, { optionsPerSession: 6, presentationWeights: null }, random),
  );
}

describe('fitBatch', () => {
  it('recovers known parameters, position effects and the none constant', () => {
    const truth = {
      weights: [0.3, 0.25, 0.2, 0.1, 0.1, 0.05],
      scale: 10,
      positionEffects: [0, -0.4, -0.8],
      noneUtility: 4,
    };
    const fit = fitBatch(simulate(truth, 6000, 1), spec);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    truth.weights.forEach((weight, k) => {
      expect(Math.abs((fit.parameters[k] as number) - truth.scale * weight)).toBeLessThan(
        4 * (fit.standardErrors[k] as number),
      );
    });
    expect(Math.abs((fit.parameters[6] as number) + 0.4)).toBeLessThan(4 * (fit.standardErrors[6] as number));
    expect(Math.abs((fit.parameters[7] as number) + 0.8)).toBeLessThan(4 * (fit.standardErrors[7] as number));
    expect(Math.abs((fit.parameters[8] as number) - 4)).toBeLessThan(4 * (fit.standardErrors[8] as number));
    expect(fit.logLikelihood).toBeGreaterThan(fit.nullLogLikelihood);
  });

  it('holds a factor that repels choices at β = 0, where the gradient pushes below the bound', () => {
    const truth = {
      weights: [0.6, -0.3, 0.2, 0.2, 0.2, 0.1],
      scale: 8,
      positionEffects: [0],
      noneUtility: 3,
    };
    const observations = simulate(truth, 3000, 2);
    const constrained = fitBatch(observations, spec);
    const unconstrained = fitBatch(observations, spec, { nonNegativeFactors: false });
    expect(constrained.converged).toBe(true);
    expect(constrained.parameters[1]).toBe(0);
    expect(unconstrained.parameters[1]).toBeLessThan(0);
    expect(unconstrained.logLikelihood).toBeGreaterThan(constrained.logLikelihood);
    const gradient = new Float64Array(9);
    const workspace = createLikelihoodWorkspace(spec);
    for (const observation of observations) {
      accumulateChoice(constrained.parameters, spec, observation, 1, workspace, gradient, null);
    }
    expect(gradient[1]).toBeLessThan(0);
    for (const k of [0, 2, 3, 4, 5, 6, 7, 8]) expect(Math.abs(gradient[k] as number)).toBeLessThan(1e-6);
  });

  it('reports unidentified parameters instead of inventing standard errors', () => {
    const constantQuality = simulate(
      { weights: [1, 0, 0, 0, 0, 0], scale: 5, positionEffects: [0], noneUtility: 2 },
      500,
      3,
    ).map((observation) => ({
      ...observation,
      options: observation.options.map((option) => ({
        ...option,
        factors: [option.factors[0] as number, 0.5, 0.5, 0.5, 0.5, 0.5],
      })),
    }));
    const fit = fitBatch(constantQuality, spec);
    expect(fit.converged).toBe(true);
    expect(fit.covariance).toBeNull();
    expect(Number.isNaN(fit.standardErrors[0])).toBe(true);
    expect(fit.parameters[0]).toBeGreaterThan(1);
  });

  it('keeps separable data finite with a ridge', () => {
    const topAlways = simulate(
      { weights: [1, 0, 0, 0, 0, 0], scale: 1, positionEffects: [0], noneUtility: 0 },
      300,
      4,
    ).map((observation) => ({ ...observation, chosenIndex: 0 }));
    const fit = fitBatch(topAlways, spec, { ridge: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.parameters[6]).toBeLessThan(-2);
    expect(Number.isFinite(fit.parameters[6])).toBe(true);
    expect(fit.covariance).not.toBeNull();
  });

  it('rejects an observation the model cannot explain', () => {
    const forced: ChoiceModelSpec = { factorCount: 1, positionLevels: 1, noneOption: false };
    expect(() =>
      fitBatch([{ options: [{ factors: [1], rank: 1 }], chosenIndex: null, noneAvailable: true }], forced),
    ).toThrow('chose none, but the model has no none option');
  });
});
