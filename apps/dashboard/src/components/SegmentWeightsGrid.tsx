import type { Segment, WeightsOutput } from '@matchloop/sdk';
import { axisTicks } from '../model/axis-ticks';
import { factorWeightBars, weightBarTops } from '../model/weights-chart';
import { Panel } from './Panel';
import { SegmentWeightsCard } from './SegmentWeightsCard';
import { WeightsLegend } from './WeightsLegend';

export interface SegmentWeightsState {
  segment: Segment;
  weights: WeightsOutput | undefined;
  error: unknown;
}

/** What the learner made of each segment, on one shared scale. */
export function SegmentWeightsGrid({ segments }: { segments: SegmentWeightsState[] }) {
  const loaded = segments.flatMap(({ weights }) => (weights ? factorWeightBars(weights) : []));
  const weightTicks = axisTicks({ min: 0, step: 0.1 }, weightBarTops(loaded));
  return (
    <Panel
      title="Factor weights by segment"
      description="How much each factor counts when ranking for a segment, now. Learned weights carry a 95% interval; until a segment has enough choices it is served its defaults, then a blend that leans on what was learned as confidence grows."
      actions={<WeightsLegend />}
      testId="segment-weights"
    >
      <div className="weights-grid">
        {segments.map(({ segment, weights, error }) => (
          <SegmentWeightsCard
            key={segment}
            segment={segment}
            weights={weights}
            error={error}
            weightTicks={weightTicks}
          />
        ))}
      </div>
    </Panel>
  );
}
