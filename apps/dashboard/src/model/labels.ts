import type { AnalyticsOutput, Complexity, Factor, Segment, WeightsSource } from '@matchloop/sdk';

type AlertRule = AnalyticsOutput['alerts'][number]['rule'];
type InsightKind = AnalyticsOutput['insights'][number]['kind'];

// Each record is typed over the whole union, so a segment, factor or level added to the contract fails the
// build here until it has a name an operator can read. The lists below keep the contract's order.

export const SEGMENT_LABELS: Record<Segment, string> = {
  price_sensitive: 'Price-sensitive',
  quality_focused: 'Quality-focused',
  speed_priority: 'Speed priority',
  local_preference: 'Local preference',
  premium_buyer: 'Premium buyer',
  balanced: 'Balanced',
};
export const SEGMENTS = Object.keys(SEGMENT_LABELS) as Segment[];

export const COMPLEXITY_LABELS: Record<Complexity, string> = {
  simple: 'Simple',
  moderate: 'Moderate',
  complex: 'Complex',
  highly_complex: 'Highly complex',
};
export const COMPLEXITY_LEVELS = Object.keys(COMPLEXITY_LABELS) as Complexity[];

export const FACTOR_LABELS: Record<Factor, string> = {
  cost: 'Cost',
  quality: 'Quality',
  speed: 'Speed',
  proximity: 'Proximity',
  capability: 'Capability',
  reliability: 'Reliability',
};
export const FACTORS = Object.keys(FACTOR_LABELS) as Factor[];

export const WEIGHTS_SOURCE_LABELS: Record<WeightsSource, string> = {
  default: 'Default weights',
  blended: 'Blended',
  learned: 'Learned weights',
};

export const ALERT_RULE_LABELS: Record<AlertRule, string> = {
  low_conversion: 'Low conversion',
  high_chosen_rank: 'High chosen rank',
  low_learning_confidence: 'Low learning confidence',
  low_satisfaction: 'Low satisfaction',
};

export const INSIGHT_KIND_LABELS: Record<InsightKind, string> = {
  low_conversion_segment: 'Segment converts poorly',
  high_converting_weights: 'Weights that convert well',
  complexity_needs_improvement: 'Complexity level needs better recommendations',
  satisfaction_trend: 'Satisfaction trend',
  stated_revealed_gap: 'Stated vs revealed gap',
};

/** A complexity figure set's level; null gathers the sessions sent without one. */
export function complexityLabel(complexity: Complexity | null): string {
  return complexity === null ? 'Not stated' : COMPLEXITY_LABELS[complexity];
}
