import { describe, expect, it } from 'vitest';
import { measureRecovery } from './recovery';

describe('recovering the market’s true weights without a server', () => {
  it('meets the quality bar: mean L1 error ≤ 0.05 over the six segments at 2,000 choices each', () => {
    const reports = [1, 2, 3].map((seed) => measureRecovery({ seed, choicesPerSegment: 2000 }));
    const meanError = reports.reduce((sum, report) => sum + report.meanL1Error, 0) / reports.length;
    expect(meanError).toBeLessThanOrEqual(0.05);
    for (const report of reports) {
      expect(report.meanL1Error).toBeLessThan(0.06);
      for (const segment of report.segments) expect(segment.l1Error, segment.segment).toBeLessThan(0.1);
    }
  });

  it('gets closer to the truth with more choices', () => {
    const few = measureRecovery({
      seed: 4,
      choicesPerSegment: 300,
      segments: ['price_sensitive', 'premium_buyer'],
    });
    const many = measureRecovery({
      seed: 4,
      choicesPerSegment: 3000,
      segments: ['price_sensitive', 'premium_buyer'],
    });
    expect(many.meanL1Error).toBeLessThan(few.meanL1Error / 2);
  });

  it('reports learned weights that sum to 1 next to the true ones, the same for the same seed', () => {
    const options = { seed: 6, choicesPerSegment: 200, segments: ['speed_priority'] } as const;
    const report = measureRecovery(options);
    const [speed] = report.segments;
    expect(speed?.segment).toBe('speed_priority');
    expect(Object.values(speed?.learnedWeights ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(measureRecovery(options)).toEqual(report);
  });
});
