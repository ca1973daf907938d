import { FACTORS } from '@matchloop/schemas';
import type { ChoiceObservation } from '../choice-model/specification';

/**
 * A seeded synthetic market for tests: customers with known true weights, decisiveness, position bias and
 * a none threshold choose by the very model the learner fits (utility plus Gumbel noise is exactly logit).
 */

/** Mulberry32: a tiny, well-mixed 32-bit generator; the same seed always gives the same stream. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MarketSegmentTruth {
  /** True weights in `FACTORS` order, summing to 1. */
  readonly weights: readonly number[];
  /** λ: utility = λ·w·f. */
  readonly scale: number;
  /** Utility added to the option at rank r, r = 1, 2, …; the last entry repeats for deeper ranks. */
  readonly positionEffects: readonly number[];
  /** Utility of choosing none; null for forced choice. */
  readonly noneUtility: number | null;
}

export interface SimulatedChoiceOptions {
  readonly optionsPerSession: number;
  /** Weights the options are presented by (rank 1 = best under these); null presents them in random order. */
  readonly presentationWeights: readonly number[] | null;
}

/** One session: random manufacturers shown in presentation order, and the customer's logit choice. */
export function simulateChoice(
  truth: MarketSegmentTruth,
  options: SimulatedChoiceOptions,
  random: () => number,
): ChoiceObservation {
  const profiles = Array.from({ length: options.optionsPerSession }, () => FACTORS.map(() => random()));
  const presentation = options.presentationWeights;
  if (presentation !== null) {
    profiles.sort((a, b) => dot(presentation, b) - dot(presentation, a));
  }
  const shown = profiles.map((factors, index) => ({ factors, rank: index + 1 }));
  let chosenIndex: number | null = null;
  let best = truth.noneUtility === null ? Number.NEGATIVE_INFINITY : truth.noneUtility + gumbel(random);
  shown.forEach((option, index) => {
    const position = truth.positionEffects[Math.min(index, truth.positionEffects.length - 1)] ?? 0;
    const utility = truth.scale * dot(truth.weights, option.factors) + position + gumbel(random);
    if (utility > best) {
      best = utility;
      chosenIndex = index;
    }
  });
  return { options: shown, chosenIndex, noneAvailable: truth.noneUtility !== null };
}

function gumbel(random: () => number): number {
  return -Math.log(-Math.log(Math.max(random(), Number.MIN_VALUE)));
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
}
