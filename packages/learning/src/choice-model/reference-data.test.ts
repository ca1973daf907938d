import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChoiceCsv } from '../choice-csv';
import { fitBatch } from './batch';
import { logLikelihood, predictionMetrics } from './metrics';
import { fitOnline } from './online';
import type { ChoiceModelSpec } from './specification';
import { summarizeParameters } from './summary';

/**
 * The external check of DESIGN §5: two published stated-preference studies and their maximum-likelihood
 * fits. The reference model has neither position effects nor a none constant, so neither do we here.
 */
interface Reference {
  readonly factors: string[];
  readonly weights: Record<string, number>;
  readonly beta_se: Record<string, number>;
  readonly train_ll: number;
  readonly null_train_ll: number;
  readonly test: {
    readonly n: number;
    readonly mean_ll: number;
    readonly top1: number;
    readonly mrr: number;
  };
  readonly full_fit: { readonly log_likelihood: number };
}

const dataDirectory = new URL('../../../../../shared/data/', import.meta.url);

function loadStudy(name: string) {
  const csv = parseChoiceCsv(readFileSync(new URL(`${name}-choices.csv`, dataDirectory), 'utf8'));
  const reference = JSON.parse(
    readFileSync(new URL(`${name}-choices.reference.json`, dataDirectory), 'utf8'),
  ) as Reference;
  const spec: ChoiceModelSpec = { factorCount: csv.factorNames.length, positionLevels: 1, noneOption: false };
  // The reference split: customers whose numeric id is divisible by 5 are held out.
  const isTest = (customerId: string) => Number(customerId) % 5 === 0;
  return {
    csv,
    reference,
    spec,
    all: csv.sessions.map((session) => session.observation),
    train: csv.sessions
      .filter((session) => !isTest(session.customerId))
      .map((session) => session.observation),
    test: csv.sessions.filter((session) => isTest(session.customerId)).map((session) => session.observation),
  };
}

// The full-data log-likelihoods as published (for electricity, by the R package mlogit).
describe.each([
  ['rail', -1724.15],
  ['electricity', -4958.649],
])('the %s study', (name, publishedFullLogLikelihood) => {
  const study = loadStudy(name);
  const trainFit = fitBatch(study.train, study.spec);

  it('has the reference factor columns and split', () => {
    expect(study.csv.factorNames).toEqual(study.reference.factors);
    expect(study.test.length).toBe(study.reference.test.n);
  });

  it('batch fit on the train split reproduces the reference', () => {
    expect(trainFit.converged).toBe(true);
    expect(Math.abs(trainFit.logLikelihood - study.reference.train_ll)).toBeLessThan(1e-3);
    expect(trainFit.nullLogLikelihood).toBeCloseTo(study.reference.null_train_ll, 6);
    const summary = summarizeParameters(trainFit.parameters, trainFit.covariance, study.spec);
    study.reference.factors.forEach((factor, k) => {
      expect(
        Math.abs((summary.weights[k] as number) - (study.reference.weights[factor] as number)),
      ).toBeLessThan(0.005);
      expect(summary.betaStandardErrors[k]).toBeCloseTo(study.reference.beta_se[factor] as number, 2);
    });
  });

  it('batch fit on all sessions reproduces the published log-likelihood', () => {
    const fullFit = fitBatch(study.all, study.spec);
    expect(Math.abs(fullFit.logLikelihood - study.reference.full_fit.log_likelihood)).toBeLessThan(1e-3);
    expect(Math.abs(fullFit.logLikelihood - publishedFullLogLikelihood)).toBeLessThan(1e-3);
  });

  it('one online pass over the train split is within 0.5% of the reference log-likelihood', () => {
    const online = fitOnline(study.train, study.spec);
    const gap = Math.abs(logLikelihood(online.mean, study.spec, study.train) / study.reference.train_ll - 1);
    expect(gap).toBeLessThan(0.005);
  });

  it('predicts the held-out customers as well as the reference', () => {
    const metrics = predictionMetrics(trainFit.parameters, study.spec, study.test);
    expect(metrics.sessions).toBe(study.reference.test.n);
    expect(Math.abs(metrics.meanLogLikelihood - study.reference.test.mean_ll)).toBeLessThan(0.01);
    expect(Math.abs(metrics.top1 - study.reference.test.top1)).toBeLessThan(0.01);
    expect(Math.abs(metrics.mrr - study.reference.test.mrr)).toBeLessThan(0.01);
  });
});
