import { SEGMENTS, type Segment } from '@matchloop/schemas';
import type { ChoiceBehaviour } from './choice';
import { type Customer, type CustomerVariation, generateCustomer } from './customers';
import { generateManufacturer, type Manufacturer } from './manufacturers';
import { Random } from './random';
import { SEGMENT_PROFILES } from './segment-profiles';

export interface MarketConfig {
  readonly manufacturers: number;
  /** Customers in the population; they come back for several projects. */
  readonly customers: number;
  /** Candidates the matching service proposes per project, all of them shown. */
  readonly optionsPerSession: number;
  readonly customerVariation: CustomerVariation;
  readonly behaviour: ChoiceBehaviour;
}

/**
 * A mid-sized regional marketplace:
 * - 300 manufacturers and 1,000 buying organisations; ten proposals per project, all shown;
 * - individual weights scattered by about ±20% (log-normal σ 0.2) around the segment's, and stated
 *   preferences by ±0.1, so that rule-based segmentation places about 19 customers in 20 correctly;
 * - decisive buyers, λ = 20: procurement compares quotes line by line, so an offer whose weighted score is
 *   0.1 higher has e² ≈ 7 times the odds of being taken. That decisiveness is also what lets a segment's
 *   2,000 choices pin its weights down to an L1 error below 0.05 (at λ = 8 it takes several times as many);
 * - position bias δ = 0, −0.4, −0.7, −0.9, −1.0 (ranks 1 to 5+): the top of the list draws attention, yet a
 *   clearly better offer further down still wins;
 * - walking away is worth α = 14, a weighted score of 0.7, so that about one project in three finds no
 *   manufacturer while Matchloop still ranks by its default weights.
 */
export const DEFAULT_MARKET_CONFIG: MarketConfig = {
  manufacturers: 300,
  customers: 1000,
  optionsPerSession: 10,
  customerVariation: { weightSpread: 0.2, statementSpread: 0.1 },
  behaviour: { decisiveness: 20, positionEffects: [0, -0.4, -0.7, -0.9, -1.0], noneUtility: 14 },
};

/** The population: everything fixed for a run, generated from the seed alone. */
export interface Market {
  readonly seed: number;
  readonly config: MarketConfig;
  readonly manufacturers: readonly Manufacturer[];
  readonly customers: readonly Customer[];
}

/** Independent streams of the run's seed; a new stream gets a new label, so existing ones never shift. */
export const STREAMS = { manufacturers: 1, customers: 2, sessions: 3, recovery: 4 } as const;

export function createMarket(seed: number, config: MarketConfig = DEFAULT_MARKET_CONFIG): Market {
  const root = Random.seeded(seed);
  const manufacturerRandom = root.fork(STREAMS.manufacturers);
  const customerRandom = root.fork(STREAMS.customers);
  const segmentShares = Object.fromEntries(
    SEGMENTS.map((segment) => [segment, SEGMENT_PROFILES[segment].share]),
  ) as Record<Segment, number>;
  return {
    seed,
    config,
    manufacturers: Array.from({ length: config.manufacturers }, (_, i) =>
      generateManufacturer(manufacturerRandom, `mfr-${String(i + 1).padStart(4, '0')}`),
    ),
    customers: Array.from({ length: config.customers }, (_, i) =>
      generateCustomer(
        customerRandom,
        `sim-${seed}-customer-${i + 1}`,
        customerRandom.pickWeighted(segmentShares),
        config.customerVariation,
      ),
    ),
  };
}
