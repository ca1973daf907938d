import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { OutcomeFigures } from '../model/figures';
import { formatCount, formatWholePercent } from '../model/format';
import { AXIS_TICK, CHART_COLORS, NO_ANIMATION, TOOLTIP_STYLE, verticalAxisLabel } from './chart-theme';
import { EmptyState } from './EmptyState';
import { Panel } from './Panel';
import { Skeleton } from './Skeleton';

const HEIGHT = 260;

/** A bar's share of all choices; a rank chosen a handful of times reads "<1%" rather than a false "0%". */
function formatShareLabel(share: number): string {
  return share > 0 && share < 0.005 ? '<1%' : formatWholePercent(share);
}

/** Where in the list customers found their manufacturer: the taller the first bar, the better the ranking. */
export function ChosenRankDistributionChart({ figures }: { figures: OutcomeFigures | undefined }) {
  const bars = figures?.chosenRankDistribution.map(({ rank, choices }) => ({
    rank: `#${rank}`,
    choices,
    share: figures.choices > 0 ? choices / figures.choices : 0,
  }));
  return (
    <Panel
      title="Chosen rank"
      description="Choices by the position of the chosen manufacturer in the list shown."
      testId="chart-rank-distribution"
    >
      {bars === undefined ? (
        <Skeleton height={HEIGHT} />
      ) : bars.length === 0 ? (
        <EmptyState title="No choices in this window yet" height={HEIGHT}>
          Each bar counts the choices of one presented rank.
        </EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={bars} margin={{ top: 20, right: 12, bottom: 16, left: 4 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis
              dataKey="rank"
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: CHART_COLORS.muted }}
              label={{
                value: 'Presented rank',
                position: 'insideBottom',
                offset: -12,
                style: { fill: CHART_COLORS.axis, fontSize: 12 },
              }}
            />
            <YAxis
              allowDecimals={false}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={64}
              label={verticalAxisLabel('Choices')}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              cursor={{ fill: CHART_COLORS.grid }}
              formatter={(value, _name, item) => [
                `${formatCount(Number(value))} (${formatWholePercent(item.payload.share)})`,
                'Choices',
              ]}
            />
            <Bar
              dataKey="choices"
              name="Choices"
              fill={CHART_COLORS.primary}
              radius={[4, 4, 0, 0]}
              {...NO_ANIMATION}
            >
              <LabelList
                dataKey="share"
                position="top"
                formatter={(share) => formatShareLabel(Number(share))}
                style={{ fill: CHART_COLORS.axis, fontSize: 12 }}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}
