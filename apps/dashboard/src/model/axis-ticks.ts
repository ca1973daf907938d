export interface AxisScale {
  min: number;
  /** Omitted: the axis ends at the first step above the largest value. */
  max?: number;
  step: number;
}

/**
 * Evenly spaced ticks from `min`, up to `max` or just past the data. Left to itself the chart library
 * picks "nice" bounds, which can put an average rank axis below 1, a rank no session can have.
 */
export function axisTicks(scale: AxisScale, values: readonly (number | null)[]): number[] {
  const largest = Math.max(scale.min + scale.step, ...values.filter((value) => value !== null));
  const max = scale.max ?? scale.min + Math.ceil((largest - scale.min) / scale.step - 1e-9) * scale.step;
  const count = Math.round((max - scale.min) / scale.step);
  // Rounded so that float noise (0.1 * 3 = 0.30000000000000004) never reaches a label or a domain.
  return Array.from({ length: count + 1 }, (_, index) =>
    Number((scale.min + index * scale.step).toFixed(10)),
  );
}
