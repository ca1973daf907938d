/**
 * Seeded randomness. Every draw in the simulator comes from a `Random` derived from the run's seed, so a seed
 * reproduces the whole market. Independent streams (`fork`) let one session's draws stay the same however
 * many draws other sessions made before it, which is what keeps results reproducible under concurrency.
 */
export class Random {
  private state: number;

  private constructor(private readonly seed: number) {
    this.state = seed >>> 0;
  }

  static seeded(seed: number): Random {
    return new Random(mixSeed(seed >>> 0, 0x9e3779b9));
  }

  /** An independent stream named by `label`: the same seed and label always give the same stream. */
  fork(label: number): Random {
    return new Random(mixSeed(this.seed, label));
  }

  /** Uniform in [0, 1); Mulberry32, small and well mixed. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [0, count). */
  index(count: number): number {
    return Math.floor(this.next() * count);
  }

  /** Standard normal by Box–Muller. */
  normal(mean = 0, standardDeviation = 1): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * this.next());
  }

  /** Standard Gumbel: the noise that makes "pick the highest utility" a logit choice. */
  gumbel(): number {
    return -Math.log(-Math.log(Math.max(this.next(), Number.MIN_VALUE)));
  }

  /** exp(N(0, σ²)): a positive multiplicative perturbation with median 1. */
  logNormal(sigma: number): number {
    return Math.exp(this.normal(0, sigma));
  }

  /** Picks a key with probability proportional to its share. */
  pickWeighted<K extends string>(shares: Readonly<Record<K, number>>): K {
    const entries = Object.entries(shares) as [K, number][];
    let remaining = this.next() * entries.reduce((sum, [, share]) => sum + share, 0);
    for (const [key, share] of entries) {
      remaining -= share;
      if (remaining < 0) return key;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }

  /** `count` distinct items in random order (partial Fisher–Yates); all of them when there are fewer. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const taken = Math.min(count, pool.length);
    for (let i = 0; i < taken; i++) {
      const j = i + this.index(pool.length - i);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, taken);
  }
}

/** A 32-bit hash of two words (murmur3's finaliser), so that nearby seeds and labels give unrelated streams. */
function mixSeed(seed: number, label: number): number {
  let h = (seed ^ Math.imul(label >>> 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keeps a value within [0, 1], where every factor score and stated preference lives. */
export function clampUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}
