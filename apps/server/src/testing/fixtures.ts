import type { Candidate, FactorScores, OutcomeFigures, StartSessionInput } from '@matchloop/sdk';

export function factors(overrides: Partial<FactorScores> = {}): FactorScores {
  return {
    cost: 0.5,
    quality: 0.5,
    speed: 0.5,
    proximity: 0.5,
    capability: 0.5,
    reliability: 0.5,
    ...overrides,
  };
}

/** Three manufacturers that clearly differ: a cheap one, a high-quality one and a fast one. */
export const CANDIDATES: Candidate[] = [
  { manufacturerId: 'acme-cheap', factors: factors({ cost: 0.95, quality: 0.4 }) },
  { manufacturerId: 'precision-works', factors: factors({ quality: 0.95, reliability: 0.9, cost: 0.3 }) },
  { manufacturerId: 'rapid-fab', factors: factors({ speed: 0.95 }) },
];

export function sessionRequest(overrides: Partial<StartSessionInput> = {}): StartSessionInput {
  return {
    customerId: 'customer-1',
    project: { complexity: 'moderate' },
    preferences: { budgetSensitivity: 0.9 },
    candidates: CANDIDATES,
    ...overrides,
  };
}

/** What analytics must report for a window without a single session. */
export const NO_OUTCOMES: OutcomeFigures = {
  sessions: 0,
  choices: 0,
  conversionRate: null,
  averageChosenRank: null,
  chosenRankDistribution: [],
  averageSatisfaction: null,
  averageDecisionTimeSeconds: null,
  averageHelpfulRating: null,
  interactionsPerSession: { viewed: 0, expanded: 0, compared: 0, contacted: 0 },
};
