import type { AlertRule, Segment } from '@matchloop/schemas';
import { describeDuration, describeScope, formatPercent } from './wording';

/** The product brief's alerting thresholds, and how much evidence an alert needs. */
export interface AlertThresholds {
  /** Conversion below this fires `low_conversion`. */
  readonly minConversionRate: number;
  /** An average chosen rank above this fires `high_chosen_rank`. */
  readonly maxAverageChosenRank: number;
  /** Learning confidence below this, for longer than `lowConfidencePeriodMs`, fires `low_learning_confidence`. */
  readonly minLearningConfidence: number;
  readonly lowConfidencePeriodMs: number;
  /** Average satisfaction (1–5) below this fires `low_satisfaction`. */
  readonly minSatisfaction: number;
  /**
   * No rule is judged on less: sessions in the window for the outcome rules, choices learned from for the
   * confidence rule. Below it a figure is too noisy either to raise or to resolve an alert.
   */
  readonly minSample: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  minConversionRate: 0.6,
  maxAverageChosenRank: 2.0,
  minLearningConfidence: 0.5,
  lowConfidencePeriodMs: 7 * 86_400_000,
  minSatisfaction: 3.5,
  minSample: 30,
};

/** Outcome figures of the recent window, for the whole marketplace (segment null) or one segment. */
export interface WindowOutcome {
  readonly segment: Segment | null;
  readonly sessions: number;
  readonly conversionRate: number | null;
  readonly averageChosenRank: number | null;
  readonly averageSatisfaction: number | null;
}

/** A segment's learning state, with how long its confidence has been low. */
export interface SegmentLearning {
  readonly segment: Segment;
  readonly confidence: number;
  /** Choices the segment's learner rests on. */
  readonly sampleSize: number;
  /**
   * Since when confidence has been below the threshold without interruption (the last choice that left it
   * at or above the threshold, or the segment's first choice if none ever did); null while it is not low.
   */
  readonly lowConfidenceSince: Date | null;
}

/** One rule measured on one scope: the figure, and whether it breaches its threshold. */
export interface AlertReading {
  readonly rule: AlertRule;
  readonly segment: Segment | null;
  readonly value: number;
  readonly threshold: number;
  readonly sampleSize: number;
  readonly breached: boolean;
  /** One sentence for an operator, true whether breached or not. */
  readonly message: string;
}

/**
 * Measures every rule on every scope with enough evidence. A breached reading should raise its alert (once);
 * a reading that is not breached should resolve it. Scopes without enough evidence give no reading at all,
 * so an alert neither fires nor resolves on a handful of sessions.
 */
export function readAlertRules(
  outcomes: readonly WindowOutcome[],
  learning: readonly SegmentLearning[],
  now: Date,
  windowMs: number,
  thresholds: AlertThresholds,
): AlertReading[] {
  const window = `over the last ${describeDuration(windowMs)}`;
  const readings: AlertReading[] = [];
  for (const outcome of outcomes) {
    if (outcome.sessions < thresholds.minSample) continue;
    const scope = describeScope(outcome.segment);
    const sample = `${outcome.sessions} sessions`;
    const read = (
      rule: AlertRule,
      value: number | null,
      threshold: number,
      breached: (v: number) => boolean,
      say: (v: number) => string,
    ) => {
      if (value === null) return;
      readings.push({
        rule,
        segment: outcome.segment,
        value,
        threshold,
        sampleSize: outcome.sessions,
        breached: breached(value),
        message: say(value),
      });
    };
    read(
      'low_conversion',
      outcome.conversionRate,
      thresholds.minConversionRate,
      (rate) => rate < thresholds.minConversionRate,
      (rate) =>
        `${scope} converted ${formatPercent(rate)} ${window} (${sample}); the alert threshold is ${formatPercent(thresholds.minConversionRate)}.`,
    );
    read(
      'high_chosen_rank',
      outcome.averageChosenRank,
      thresholds.maxAverageChosenRank,
      (rank) => rank > thresholds.maxAverageChosenRank,
      (rank) =>
        `${scope} chose on average the recommendation ranked ${rank.toFixed(2)} ${window} (${sample}); the alert threshold is ${thresholds.maxAverageChosenRank.toFixed(2)}.`,
    );
    read(
      'low_satisfaction',
      outcome.averageSatisfaction,
      thresholds.minSatisfaction,
      (satisfaction) => satisfaction < thresholds.minSatisfaction,
      (satisfaction) =>
        `${scope} rated satisfaction ${satisfaction.toFixed(2)}/5 on average ${window} (${sample}); the alert threshold is ${thresholds.minSatisfaction.toFixed(1)}.`,
    );
  }
  for (const segment of learning) {
    if (segment.sampleSize < thresholds.minSample) continue;
    const lowFor = segment.lowConfidenceSince ? now.getTime() - segment.lowConfidenceSince.getTime() : 0;
    const low = segment.confidence < thresholds.minLearningConfidence;
    const breached = low && lowFor >= thresholds.lowConfidencePeriodMs;
    const scope = describeScope(segment.segment);
    readings.push({
      rule: 'low_learning_confidence',
      segment: segment.segment,
      value: segment.confidence,
      threshold: thresholds.minLearningConfidence,
      sampleSize: segment.sampleSize,
      breached,
      message: low
        ? `Learning confidence for ${scope.toLowerCase()} is ${segment.confidence.toFixed(2)} after ${segment.sampleSize} choices and has stayed below ${thresholds.minLearningConfidence} for at least ${describeDuration(lowFor)}.`
        : `Learning confidence for ${scope.toLowerCase()} is ${segment.confidence.toFixed(2)} after ${segment.sampleSize} choices.`,
    });
  }
  return readings;
}
