import { FACTORS, type FactorWeights, type Segment, type WeightsSource } from '@matchloop/schemas';
import { computeProbabilities } from './choice-model/likelihood';
import { invertPositiveDefinite } from './choice-model/linear-algebra';
import { assertValidChoiceSet, type ChoiceSet } from './choice-model/specification';
import { type ParameterSummary, summarizeParameters } from './choice-model/summary';
import { DEFAULT_SEGMENT_WEIGHTS, type LearningConfig } from './defaults';
import { toFactorScores } from './factor-vector';
import type { LearnerState, ScopeState } from './learner';
import type { SegmentModels } from './segmentation';
import { constrainWeights } from './weights';

/** Where learned state lives: the whole market, or one segment. */
export type Scope = 'global' | Segment;

/** What a scope has learned, read out by parameter role, with how sure it is. */
export interface ScopeEstimate extends ParameterSummary {
  readonly sampleSize: number;
  readonly confidence: number;
}

export function scopeState(state: LearnerState, scope: Scope): ScopeState | undefined {
  return scope === 'global' ? state.global : state.segments[scope];
}

/** The scope's posterior mean and uncertainty, or null for a segment that has seen no choice yet. */
export function estimateScope(
  state: LearnerState,
  scope: Scope,
  config: LearningConfig,
): ScopeEstimate | null {
  const posterior = scopeState(state, scope)?.posterior;
  if (posterior === undefined) return null;
  const covariance = invertPositiveDefinite(posterior.precision, posterior.mean.length);
  const summary = summarizeParameters(posterior.mean, covariance, state.spec);
  // Its own fields before the spread: see the README's "Objects on the hot paths".
  return {
    sampleSize: posterior.sampleSize,
    confidence: weightConfidence(summary.standardErrors, config.confidenceHalfStandardError),
    ...summary,
  };
}

/**
 * Confidence in [0, 1) from the weights' delta-method standard errors: with s² their mean variance and h the
 * configured half-confidence error, confidence = h² / (h² + s²).
 *
 * Why this form: s² shrinks like 1/n with n choices, so confidence behaves like n / (n + n½), the classic
 * credibility factor, rising steadily with evidence and falling again as forgetting widens the posterior.
 * It is an absolute error, not a relative one, so a factor that rightly weighs almost nothing does not keep
 * confidence low forever. With no scale yet (λ = 0, nothing learned) the errors are undefined and
 * confidence is 0.
 */
export function weightConfidence(standardErrors: ArrayLike<number>, halfConfidenceError: number): number {
  let meanVariance = 0;
  for (let i = 0; i < standardErrors.length; i++) {
    const error = standardErrors[i] as number;
    if (!Number.isFinite(error)) return 0;
    meanVariance += (error * error) / standardErrors.length;
  }
  const target = halfConfidenceError * halfConfidenceError;
  return target / (target + meanVariance);
}

/** The weights the matching engine should rank a segment's candidates with, and why. */
export interface ServedSegmentWeights {
  readonly segment: Segment;
  readonly source: WeightsSource;
  readonly confidence: number;
  readonly sampleSize: number;
  /** Within the configured bounds and summing to 1 within 1e-9, whatever the learner holds. */
  readonly values: FactorWeights;
  readonly defaults: FactorWeights;
  /** w = β/Σβ as learned for the segment, before blending and bounds; null before its first choice. */
  readonly learned: FactorWeights | null;
}

/**
 * Serving policy: below `minSampleSize` choices the segment's defaults (source 'default'); from there the
 * blend confidence·learned + (1 − confidence)·defaults ('blended'); from `learnedConfidence` the learned
 * weights alone ('learned'). Whatever the source, the result is projected onto the bounds.
 */
export function serveWeights(
  state: LearnerState,
  segment: Segment,
  config: LearningConfig,
): ServedSegmentWeights {
  const defaults = DEFAULT_SEGMENT_WEIGHTS[segment];
  const estimate = estimateScope(state, segment, config);
  const learned = estimate === null ? null : toFactorScores(estimate.weights);
  const sampleSize = estimate?.sampleSize ?? 0;
  const confidence = estimate?.confidence ?? 0;
  let source: WeightsSource = 'default';
  let preferred: FactorWeights = defaults;
  if (learned !== null && sampleSize >= config.minSampleSize) {
    if (confidence >= config.learnedConfidence) {
      source = 'learned';
      preferred = learned;
    } else {
      source = 'blended';
      preferred = blend(learned, defaults, confidence);
    }
  }
  return {
    segment,
    source,
    confidence,
    sampleSize,
    values: constrainWeights(preferred, config.bounds),
    defaults: { ...defaults },
    learned,
  };
}

/** The model's probability of each shown option being chosen, and of none when it is on offer. */
export interface ChoicePrediction {
  readonly options: Float64Array;
  readonly none: number | null;
}

/**
 * Predicted choice probabilities for a choice set shown to a segment's customer (factor values in `FACTORS`
 * order), from the segment's posterior mean, or the market's before the segment has any choice.
 */
export function predictChoice(state: LearnerState, segment: Segment, choiceSet: ChoiceSet): ChoicePrediction {
  assertValidChoiceSet(choiceSet, state.spec);
  const posterior = (state.segments[segment] ?? state.global).posterior;
  computeProbabilities(posterior.mean, state.spec, choiceSet, state.workspace);
  const { probabilities } = state.workspace;
  const optionCount = choiceSet.options.length;
  const noneOffered = state.spec.noneOption && choiceSet.noneAvailable;
  return {
    options: probabilities.slice(0, optionCount),
    none: noneOffered ? (probabilities[optionCount] as number) : null,
  };
}

/**
 * Segment models for behavioural segmentation: only segments with at least `minSampleSize` choices. The
 * parameters are copies, so later choices folded into the learner do not change a comparison under way.
 */
export function behaviourModels(state: LearnerState, config: LearningConfig): SegmentModels {
  const parameters: Partial<Record<Segment, Float64Array>> = {};
  for (const [segment, scope] of Object.entries(state.segments) as [Segment, ScopeState][]) {
    if (scope.posterior.sampleSize >= config.minSampleSize)
      parameters[segment] = Float64Array.from(scope.posterior.mean);
  }
  return { spec: state.spec, parameters };
}

function blend(learned: FactorWeights, defaults: FactorWeights, confidence: number): FactorWeights {
  const mixed = { ...defaults };
  for (const factor of FACTORS) {
    mixed[factor] = confidence * learned[factor] + (1 - confidence) * defaults[factor];
  }
  return mixed;
}
