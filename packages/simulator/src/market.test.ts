import { segmentByRules } from '@matchloop/learning';
import { FACTORS, SEGMENTS } from '@matchloop/schemas';
import { describe, expect, it } from 'vitest';
import { createMarket, DEFAULT_MARKET_CONFIG } from './market';
import { SEGMENT_PROFILES } from './segment-profiles';
import { planMarketSession } from './sessions';

describe('the synthetic market', () => {
  it('is the same for the same seed and different for another', () => {
    expect(createMarket(7)).toEqual(createMarket(7));
    expect(createMarket(8).customers[0]).not.toEqual(createMarket(7).customers[0]);
    expect(createMarket(8).manufacturers[0]).not.toEqual(createMarket(7).manufacturers[0]);
  });

  it('plans each session the same whatever was planned before it', () => {
    const market = createMarket(3);
    const alone = planMarketSession(createMarket(3), 41);
    for (let index = 0; index < 41; index++) planMarketSession(market, index);
    const afterOthers = planMarketSession(market, 41);
    expect({ ...afterOthers, random: undefined }).toEqual({ ...alone, random: undefined });
    expect(afterOthers.random.next()).toBe(alone.random.next());
  });

  it('proposes distinct, able manufacturers with every factor score in [0, 1]', () => {
    const market = createMarket(5);
    for (let index = 0; index < 200; index++) {
      const { candidates, project } = planMarketSession(market, index);
      expect(candidates).toHaveLength(market.config.optionsPerSession);
      expect(new Set(candidates.map((c) => c.manufacturerId)).size).toBe(candidates.length);
      expect(project.complexityScore).toBeGreaterThanOrEqual(0);
      expect(project.complexityScore).toBeLessThan(1);
      for (const { factors } of candidates) {
        for (const factor of FACTORS) {
          expect(factors[factor]).toBeGreaterThanOrEqual(0);
          expect(factors[factor]).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('has true weights that sum to 1 within the served bounds, and differ from the defaults', () => {
    expect(SEGMENTS.reduce((sum, segment) => sum + SEGMENT_PROFILES[segment].share, 0)).toBeCloseTo(1, 12);
    for (const segment of SEGMENTS) {
      const weights = Object.values(SEGMENT_PROFILES[segment].trueWeights);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const weight of weights) {
        expect(weight).toBeGreaterThanOrEqual(0.02);
        expect(weight).toBeLessThanOrEqual(0.6);
      }
    }
  });

  it('gives customers stated preferences that Matchloop’s rules place in their true segment most of the time', () => {
    const { customers } = createMarket(11, { ...DEFAULT_MARKET_CONFIG, customers: 6000 });
    for (const segment of SEGMENTS) {
      const members = customers.filter((customer) => customer.segment === segment);
      const placed = members.filter((customer) => segmentByRules(customer.preferences) === segment);
      expect(members.length / customers.length).toBeCloseTo(SEGMENT_PROFILES[segment].share, 1);
      expect(placed.length / members.length, segment).toBeGreaterThan(0.8);
    }
    const placed = customers.filter((customer) => segmentByRules(customer.preferences) === customer.segment);
    expect(placed.length / customers.length).toBeGreaterThan(0.88);
    expect(placed.length / customers.length).toBeLessThan(0.99);
  });

  it('scatters each customer’s weights around the segment’s, keeping them summing to 1', () => {
    const { customers } = createMarket(13, { ...DEFAULT_MARKET_CONFIG, customers: 4000 });
    const members = customers.filter((customer) => customer.segment === 'price_sensitive');
    for (const factor of FACTORS) {
      const mean = members.reduce((sum, customer) => sum + customer.trueWeights[factor], 0) / members.length;
      expect(mean).toBeCloseTo(SEGMENT_PROFILES.price_sensitive.trueWeights[factor], 1);
    }
    for (const customer of members) {
      expect(Object.values(customer.trueWeights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(new Set(members.map((customer) => customer.trueWeights.cost)).size).toBe(members.length);
  });
});
