import type { Random } from './random';

/** A site on the market's map, the unit square (think of a country a day's drive across). */
export interface Location {
  readonly x: number;
  readonly y: number;
}

export function randomLocation(random: Random): Location {
  return { x: random.next(), y: random.next() };
}

/** The proximity factor: 1 on the same site, falling linearly to 0 at the width of the map and beyond. */
export function proximity(a: Location, b: Location): number {
  return Math.max(0, 1 - Math.hypot(a.x - b.x, a.y - b.y));
}
