import { FACTORS, type Factor } from '@matchloop/schemas';
import type { LearningConfig } from './defaults';
import type { LearnerState } from './learner';
import { estimateScope, type Scope, scopeState } from './serving';

export interface StatedVsRevealedFactor {
  readonly factor: Factor;
  /** Times customers named the factor as important. */
  readonly mentions: number;
  /** mentions / statements: the share of stating customers who named it; 0 before any statement. */
  readonly statedShare: number;
  /** The learned weight w_f = β_f/Σβ, what choices reveal; null before the scope's first choice. */
  readonly revealedWeight: number | null;
}

export interface StatedVsRevealed {
  /** Choices in which at least one important factor was named. */
  readonly statements: number;
  readonly factors: readonly StatedVsRevealedFactor[];
}

/**
 * What customers say matters beside what their choices show matters. The two are on different scales (a
 * share of customers naming a factor, a weight summing to 1) and are meant to be compared by rank and
 * trend, not subtracted. Stated factors never feed the weights.
 */
export function statedVsRevealed(
  state: LearnerState,
  scope: Scope,
  config: LearningConfig,
): StatedVsRevealed {
  const stated = scopeState(state, scope)?.stated;
  const estimate = estimateScope(state, scope, config);
  const statements = stated?.statements ?? 0;
  return {
    statements,
    factors: FACTORS.map((factor, k) => {
      const mentions = stated?.mentions[k] ?? 0;
      return {
        factor,
        mentions,
        statedShare: statements === 0 ? 0 : mentions / statements,
        revealedWeight: estimate === null ? null : (estimate.weights[k] as number),
      };
    }),
  };
}
