import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { OutcomeFigures } from '../model/figures';
import { formatCount, formatWholePercent } from '../model/format';
import { ChartFrame } from './ChartFrame';
import {
  CATEGORY_AXIS,
  CHART_COLORS,
  NO_ANIMATION,
  TOOLTIP_STYLE,
  VALUE_AXIS,
  verticalAxisLabel,
} from './chart-theme';
import { Panel } from './Panel';

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
      <ChartFrame
        data={bars}
        height={HEIGHT}
        emptyTitle="No choices in this window yet"
        emptyDetail="Each bar counts the choices of one presented rank."
      >
        {(data) => (
          <BarChart data={data} margin={{ top: 20, right: 12, bottom: 16, left: 4 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis
              dataKey="rank"
              {...CATEGORY_AXIS}
              label={{
                value: 'Presented rank',
                position: 'insideBottom',
                offset: -12,
                style: { fill: CHART_COLORS.axis, fontSize: 12 },
              }}
            />
            <YAxis allowDecimals={false} {...VALUE_AXIS} width={64} label={verticalAxisLabel('Choices')} />
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
        )}
      </ChartFrame>
    </Panel>
  );
}
