import { type Location, randomLocation } from './geography';
import { clampUnit, type Random } from './random';

/**
 * A manufacturer as the market knows it. Scores are in [0, 1], higher is better. They hang together the way
 * real suppliers do: a single "tier" (from jobbing workshop to precision specialist) raises quality, track
 * record and technical sophistication and lowers cost-efficiency, each with its own scatter, so that the
 * factors are correlated as in life, yet loosely enough that every trade-off occurs.
 */
export interface Manufacturer {
  readonly id: string;
  readonly location: Location;
  readonly costEfficiency: number;
  readonly quality: number;
  readonly reliability: number;
  /** The most demanding project complexity the shop handles well, on the complexity-score scale. */
  readonly capabilityLevel: number;
  /** Free capacity, which sets typical lead times. */
  readonly availability: number;
}

export function generateManufacturer(random: Random, id: string): Manufacturer {
  const tier = random.next();
  return {
    id,
    location: randomLocation(random),
    costEfficiency: clampUnit(0.8 - 0.45 * tier + random.normal(0, 0.22)),
    quality: clampUnit(0.2 + 0.6 * tier + random.normal(0, 0.2)),
    reliability: clampUnit(0.2 + 0.5 * tier + random.normal(0, 0.22)),
    capabilityLevel: clampUnit(0.1 + 0.8 * tier + random.normal(0, 0.15)),
    availability: random.between(0.05, 0.95),
  };
}
