import type { WeightsOutput } from '@matchloop/sdk';
import { FACTOR_LABELS, FACTORS } from './labels';

/** A 95% interval is the estimate ± 1.96 standard errors (normal approximation, as the delta method gives). */
const Z_95 = 1.96;

export interface FactorWeightBar {
  factor: string;
  defaultWeight: number;
  /** Null before the segment's first choice. */
  learnedWeight: number | null;
  /** The 95% interval as offsets below and above the learned weight; the lower one stops at zero. */
  learnedInterval: [number, number] | null;
  standardError: number | null;
  servedWeight: number;
}

/** One group of bars per factor: the documented default, the learned weight with its interval, and what is served. */
export function factorWeightBars(weights: WeightsOutput): FactorWeightBar[] {
  return FACTORS.map((factor) => {
    const learnedWeight = weights.learned?.values[factor] ?? null;
    const standardError = weights.learned?.standardErrors[factor] ?? null;
    const halfWidth = standardError === null ? null : Z_95 * standardError;
    return {
      factor: FACTOR_LABELS[factor],
      defaultWeight: weights.defaults[factor],
      learnedWeight,
      learnedInterval:
        learnedWeight === null || halfWidth === null ? null : [Math.min(halfWidth, learnedWeight), halfWidth],
      standardError,
      servedWeight: weights.values[factor],
    };
  });
}

/** The tops of every bar and interval: what a shared weight axis must reach. */
export function weightBarTops(bars: readonly FactorWeightBar[]): number[] {
  return bars.flatMap((bar) => [
    bar.defaultWeight,
    bar.servedWeight,
    (bar.learnedWeight ?? 0) + (bar.learnedInterval?.[1] ?? 0),
  ]);
}
