import type { Segment, WeightsOutput } from '@matchloop/sdk';
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { describeProblem } from '../api/errors';
import { formatConfidence, formatCount, formatPercent, formatWholePercent } from '../model/format';
import { SEGMENT_LABELS } from '../model/labels';
import { type FactorWeightBar, factorWeightBars } from '../model/weights-chart';
import {
  AXIS_TICK,
  CATEGORY_AXIS,
  CHART_COLORS,
  NO_ANIMATION,
  TOOLTIP_STYLE,
  VALUE_AXIS,
} from './chart-theme';
import { Skeleton } from './Skeleton';
import { WeightsSourceBadge } from './WeightsSourceBadge';

const HEIGHT = 210;

interface SegmentWeightsCardProps {
  segment: Segment;
  weights: WeightsOutput | undefined;
  error: unknown;
  /** The weight axis, shared by every card so that their bars compare. */
  weightTicks: number[];
}

/** One segment's weights: documented defaults, learned (with a 95% interval) and served, factor by factor. */
export function SegmentWeightsCard({ segment, weights, error, weightTicks }: SegmentWeightsCardProps) {
  return (
    <article className="weights-card" data-testid={`weights-${segment}`}>
      <header className="weights-card-header">
        <h4 className="weights-card-title">{SEGMENT_LABELS[segment]}</h4>
        {weights && <WeightsSourceBadge source={weights.source} />}
      </header>
      {weights ? (
        <p className="weights-card-meta">
          {formatCount(weights.sampleSize)} choices · confidence {formatConfidence(weights.confidence)} ·
          version {weights.version}
        </p>
      ) : (
        <Skeleton height={16} width="70%" />
      )}
      {error !== null ? (
        <p className="inline-problem">{describeProblem(error).title}</p>
      ) : weights === undefined ? (
        <Skeleton height={HEIGHT} />
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart
            data={factorWeightBars(weights)}
            margin={{ top: 8, right: 4, bottom: 0, left: 0 }}
            barCategoryGap="22%"
            barGap={1}
          >
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis dataKey="factor" {...CATEGORY_AXIS} tick={{ ...AXIS_TICK, fontSize: 11 }} interval={0} />
            <YAxis
              domain={[0, weightTicks.at(-1) ?? 1]}
              ticks={weightTicks}
              tickFormatter={formatWholePercent}
              {...VALUE_AXIS}
              width={40}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              cursor={{ fill: CHART_COLORS.grid }}
              formatter={describeWeight}
            />
            <Bar dataKey="defaultWeight" name="Default" fill={CHART_COLORS.muted} {...NO_ANIMATION} />
            {/* A learned weight of zero is a finding, not a gap: it keeps a hairline bar, and its interval. */}
            <Bar
              dataKey="learnedWeight"
              name="Learned"
              fill={CHART_COLORS.primary}
              minPointSize={1}
              {...NO_ANIMATION}
            >
              <ErrorBar
                dataKey="learnedInterval"
                width={4}
                strokeWidth={1.5}
                stroke="#0f172a"
                direction="y"
              />
            </Bar>
            <Bar dataKey="servedWeight" name="Served" fill={CHART_COLORS.secondary} {...NO_ANIMATION} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </article>
  );
}

/** A tooltip line: the weight as a share, and for the learned one its standard error. */
function describeWeight(
  value: unknown,
  _name: unknown,
  item: { dataKey?: unknown; payload?: FactorWeightBar },
) {
  const weight = value === null || value === undefined ? null : Number(value);
  if (item.dataKey !== 'learnedWeight' || item.payload?.standardError == null) return formatPercent(weight);
  return `${formatPercent(weight)} ± ${formatPercent(item.payload.standardError)} (SE)`;
}
