import { describe, expect, it } from 'vitest';
import type { ChoiceModelSpec } from './choice-model/specification';
import { assignSegment, segmentByBehaviour, segmentByRules } from './segmentation';
import { seededRandom, simulateChoice } from './testing/synthetic-market';

describe('segmentByRules', () => {
  it.each([
    [undefined, 'balanced'],
    [{}, 'balanced'],
    [{ budgetSensitivity: 0.5, urgency: 0.6, qualityRequirement: 0.69, localPreference: 0.2 }, 'balanced'],
    [{ budgetSensitivity: 0.9 }, 'price_sensitive'],
    [{ qualityRequirement: 0.8 }, 'quality_focused'],
    [{ urgency: 0.7 }, 'speed_priority'],
    [{ localPreference: 1 }, 'local_preference'],
    [{ qualityRequirement: 0.9, budgetSensitivity: 0.1 }, 'premium_buyer'],
    [{ qualityRequirement: 0.7, budgetSensitivity: 0.3 }, 'premium_buyer'],
    [{ qualityRequirement: 0.9, budgetSensitivity: 0.5 }, 'quality_focused'],
    [{ qualityRequirement: 0.8, urgency: 0.95 }, 'speed_priority'],
    [{ budgetSensitivity: 0.8, qualityRequirement: 0.8 }, 'price_sensitive'],
    [{ urgency: 0.8, localPreference: 0.8 }, 'speed_priority'],
  ] as const)('%j → %s', (preferences, segment) => {
    expect(segmentByRules(preferences)).toBe(segment);
  });
});

describe('segmentByBehaviour', () => {
  const spec: ChoiceModelSpec = { factorCount: 6, positionLevels: 1, noneOption: false };
  const costDriven = [12, 1, 1, 1, 1, 1];
  const qualityDriven = [1, 12, 1, 1, 1, 1];
  const models = { spec, parameters: { price_sensitive: costDriven, quality_focused: qualityDriven } };
  const history = (weights: number[], count: number) => {
    const random = seededRandom(7);
    const truth = { weights: weights.map((w) => w / 17), scale: 17, positionEffects: [0], noneUtility: null };
    return Array.from({ length: count }, () =>
      simulateChoice(truth, { optionsPerSession: 5, presentationWeights: null }, random),
    );
  };

  it('waits for enough choices', () => {
    expect(segmentByBehaviour(history(qualityDriven, 4), models, 5)).toBeNull();
  });

  it('picks the segment whose model explains the choices best', () => {
    const result = segmentByBehaviour(history(qualityDriven, 8), models, 5);
    expect(result?.segment).toBe('quality_focused');
    expect(result?.logLikelihoods.quality_focused).toBeGreaterThan(
      result?.logLikelihoods.price_sensitive as number,
    );
    expect(result?.logLikelihoods.balanced).toBeUndefined();
  });

  it('falls back to the stated preferences', () => {
    expect(assignSegment({ urgency: 0.9 }, history(costDriven, 3), models, 5)).toEqual({
      segment: 'speed_priority',
      source: 'rules',
    });
    expect(assignSegment({ urgency: 0.9 }, history(costDriven, 10), models, 5)).toEqual({
      segment: 'price_sensitive',
      source: 'behavior',
    });
    expect(assignSegment({ urgency: 0.9 }, history(costDriven, 10), { spec, parameters: {} }, 5).source).toBe(
      'rules',
    );
  });
});
