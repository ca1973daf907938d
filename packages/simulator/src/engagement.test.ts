import { rankCandidates, segmentByRules } from '@matchloop/learning';
import { describe, expect, it } from 'vitest';
import { decide } from './choice';
import { engage } from './engagement';
import { createMarket } from './market';
import { planMarketSession } from './sessions';

const market = createMarket(21);
const { behaviour } = market.config;

/** Sessions shown as Matchloop shows them with rule-based segments and the customer's own weights. */
const sessions = Array.from({ length: 1500 }, (_, index) => {
  const plan = planMarketSession(market, index);
  const shown = rankCandidates(plan.candidates, plan.customer.trueWeights).map(({ candidate }) => candidate);
  const decision = decide(behaviour, plan.customer.trueWeights, shown, plan.shocks);
  return { plan, shown, decision, engagement: engage(plan, shown, decision, behaviour) };
});

describe('what customers do around their choice', () => {
  it('read the list from the top at least down to the option they take, and contact only that one', () => {
    for (const { shown, decision, engagement } of sessions) {
      const viewed = engagement.interactions.filter((i) => i.interactionType === 'viewed');
      expect(viewed.map((i) => i.manufacturerId)).toEqual(
        shown.slice(0, viewed.length).map((c) => c.manufacturerId),
      );
      expect(viewed.length).toBeGreaterThanOrEqual((decision.chosenIndex ?? -1) + 1);
      const contacted = engagement.interactions.filter((i) => i.interactionType === 'contacted');
      const chosen = decision.chosenIndex === null ? null : shown[decision.chosenIndex]?.manufacturerId;
      expect(contacted.map((i) => i.manufacturerId)).toEqual(chosen ? [chosen] : []);
      expect(engagement.outcome.chosenManufacturerId).toBe(chosen);
    }
  });

  it('rate a choice higher the more it is worth to them, and rate only when they chose', () => {
    const rated = sessions.filter(({ decision }) => decision.chosenIndex !== null);
    const unrated = sessions.filter(({ decision }) => decision.chosenIndex === null);
    for (const { engagement } of unrated) expect(engagement.outcome.satisfaction).toBeUndefined();
    const value = ({ decision }: (typeof sessions)[number]) =>
      decision.values[decision.chosenIndex as number] as number;
    const byValue = [...rated].sort((a, b) => value(a) - value(b));
    const meanSatisfaction = (part: typeof rated) =>
      part.reduce((sum, { engagement }) => sum + (engagement.outcome.satisfaction as number), 0) /
      part.length;
    const third = Math.floor(byValue.length / 3);
    expect(meanSatisfaction(byValue.slice(-third))).toBeGreaterThan(
      meanSatisfaction(byValue.slice(0, third)) + 0.8,
    );
    const overall = meanSatisfaction(rated);
    expect(overall).toBeGreaterThan(2.5);
    expect(overall).toBeLessThan(4.5);
  });

  it('take longer over complex projects, and name the factors behind their strong stated preferences', () => {
    const meanDecisionTime = (complexity: string) => {
      const matching = sessions.filter(({ plan }) => plan.project.complexity === complexity);
      return (
        matching.reduce((sum, { engagement }) => sum + (engagement.outcome.decisionTimeSeconds ?? 0), 0) /
        matching.length
      );
    };
    expect(meanDecisionTime('highly_complex')).toBeGreaterThan(10 * meanDecisionTime('simple'));
    for (const { plan, engagement } of sessions) {
      if (segmentByRules(plan.customer.preferences) === 'price_sensitive') {
        expect(engagement.outcome.importantFactors).toContain('cost');
      }
    }
  });
});
