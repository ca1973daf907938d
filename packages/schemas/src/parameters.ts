import { z } from 'zod';

/**
 * A whole number between `min` and `max`, which a REST query string spells in decimal digits ("12"). Read
 * through z.coerce.number, an empty or blank value would pass as 0, "0x10" as 16 and "1e3" as 1000.
 */
export function wholeNumberParameter({ min, max }: { min: number; max: number }) {
  return z.coerce
    .string()
    .regex(/^\d+$/, `Expected a whole number from ${min} to ${max}, in decimal digits`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
