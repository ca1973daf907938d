import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyFigures } from '../model/daily-series';
import { formatCount, formatPercent, formatWholePercent } from '../model/format';
import { ChartFrame } from './ChartFrame';
import {
  CHART_COLORS,
  DAY_AXIS,
  DAY_TOOLTIP,
  NO_ANIMATION,
  VALUE_AXIS,
  verticalAxisLabel,
} from './chart-theme';
import { Panel } from './Panel';

const HEIGHT = 280;

/**
 * Each day's conversion rate, over bars of its session volume: a dip on a day of five sessions means
 * less than one on a day of five hundred, and the bars say which it is.
 */
export function ConversionTrendChart({ days }: { days: DailyFigures[] | undefined }) {
  return (
    <Panel
      title="Conversion by day"
      description="Share of each day's sessions that ended with a manufacturer chosen (UTC days). Bars: sessions."
      testId="chart-conversion-trend"
    >
      <ChartFrame
        data={days}
        height={HEIGHT}
        emptyTitle="No sessions in this window yet"
        emptyDetail="The trend appears once the matching service starts sessions."
      >
        {(data) => (
          <ComposedChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: 4 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis {...DAY_AXIS} />
            <YAxis
              yAxisId="rate"
              domain={[0, 1]}
              ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
              tickFormatter={formatWholePercent}
              {...VALUE_AXIS}
              width={64}
              label={verticalAxisLabel('Conversion rate')}
            />
            <YAxis
              yAxisId="sessions"
              orientation="right"
              allowDecimals={false}
              {...VALUE_AXIS}
              width={56}
              label={verticalAxisLabel('Sessions', 'right')}
            />
            <Tooltip
              {...DAY_TOOLTIP}
              formatter={(value, _name, item) =>
                item.dataKey === 'conversionRate'
                  ? formatPercent(value === undefined ? null : Number(value))
                  : formatCount(Number(value))
              }
            />
            <Legend
              wrapperStyle={{ fontSize: 12 }}
              formatter={(name) => <span style={{ color: CHART_COLORS.axis }}>{name}</span>}
            />
            <Bar
              yAxisId="sessions"
              dataKey="sessions"
              name="Sessions"
              fill={CHART_COLORS.volume}
              legendType="square"
              {...NO_ANIMATION}
            />
            <Line
              yAxisId="rate"
              dataKey="conversionRate"
              name="Conversion rate"
              legendType="plainline"
              stroke={CHART_COLORS.primary}
              strokeWidth={2.25}
              dot={{ r: 2.5, fill: CHART_COLORS.primary }}
              {...NO_ANIMATION}
            />
          </ComposedChart>
        )}
      </ChartFrame>
    </Panel>
  );
}
