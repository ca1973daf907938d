import { z } from 'zod';

/** The fixed factor set every manufacturer is scored on. Each score is in [0, 1], higher is better. */
export const FACTORS = ['cost', 'quality', 'speed', 'proximity', 'capability', 'reliability'] as const;
export const factorSchema = z.enum(FACTORS);
export type Factor = z.infer<typeof factorSchema>;

const unitScore = z.number().min(0).max(1);

/** One score per factor: a manufacturer's profile, or a weight vector. */
export const factorScoresSchema = z.strictObject({
  cost: unitScore.describe('Cost-efficiency: higher means cheaper for the same job'),
  quality: unitScore,
  speed: unitScore.describe('Availability and lead time'),
  proximity: unitScore,
  capability: unitScore.describe('Technical fit for the project'),
  reliability: unitScore.describe('Track record and certifications'),
});
export type FactorScores = z.infer<typeof factorScoresSchema>;

/** Factor weights: each in [0, 1] and together summing to 1. */
export const factorWeightsSchema = factorScoresSchema;
export type FactorWeights = FactorScores;

export const SEGMENTS = [
  'price_sensitive',
  'quality_focused',
  'speed_priority',
  'local_preference',
  'premium_buyer',
  'balanced',
] as const;
export const segmentSchema = z.enum(SEGMENTS);
export type Segment = z.infer<typeof segmentSchema>;

/** How a customer was placed in their segment: by stated preferences, or by the choices they made. */
export const segmentSourceSchema = z.enum(['rules', 'behavior']);
export type SegmentSource = z.infer<typeof segmentSourceSchema>;

export const COMPLEXITY_LEVELS = ['simple', 'moderate', 'complex', 'highly_complex'] as const;
export const complexitySchema = z.enum(COMPLEXITY_LEVELS);
export type Complexity = z.infer<typeof complexitySchema>;

/** What a customer says about their project, each in [0, 1]; absent means "not stated". */
export const preferencesSchema = z.strictObject({
  budgetSensitivity: unitScore.optional(),
  urgency: unitScore.optional(),
  qualityRequirement: unitScore.optional(),
  localPreference: unitScore.optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/**
 * Where served weights came from: the segment's documented defaults (too little evidence),
 * a confidence-weighted blend of learned and default, or the learned weights alone.
 */
export const weightsSourceSchema = z.enum(['default', 'blended', 'learned']);
export type WeightsSource = z.infer<typeof weightsSourceSchema>;

export const INTERACTION_TYPES = ['viewed', 'expanded', 'compared', 'contacted'] as const;
export const interactionTypeSchema = z.enum(INTERACTION_TYPES);
export type InteractionType = z.infer<typeof interactionTypeSchema>;
