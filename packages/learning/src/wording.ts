import type { Complexity, Segment } from '@matchloop/schemas';

/** How alerts and insights name things in their sentences. */

/** "Price-sensitive customers", or "All customers" for the whole marketplace. */
export function describeScope(segment: Segment | null): string {
  if (segment === null) return 'All customers';
  const words = segment.replaceAll('_', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} customers`;
}

export function describeComplexity(complexity: Complexity): string {
  return `${complexity.replaceAll('_', ' ')} projects`;
}

/** 0.4567 → "45.7%". */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The largest whole unit: "7 days", "1 day", "24 hours", "90 minutes", "45 seconds". */
export function describeDuration(milliseconds: number): string {
  const units: readonly [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, size] of units) {
    if (milliseconds >= size && milliseconds % size === 0) return plural(milliseconds / size, unit);
    if (milliseconds >= 2 * size) return plural(Math.floor(milliseconds / size), unit);
  }
  return plural(Math.round(milliseconds / 1000), 'second');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
