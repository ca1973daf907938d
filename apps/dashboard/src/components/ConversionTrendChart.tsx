import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DailyFigures } from '../model/daily-series';
import { formatCount, formatDay, formatPercent, formatWholePercent } from '../model/format';
import { AXIS_TICK, CHART_COLORS, NO_ANIMATION, TOOLTIP_STYLE, verticalAxisLabel } from './chart-theme';
import { EmptyState } from './EmptyState';
import { Panel } from './Panel';
import { Skeleton } from './Skeleton';

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
      {days === undefined ? (
        <Skeleton height={HEIGHT} />
      ) : days.length === 0 ? (
        <EmptyState title="No sessions in this window yet" height={HEIGHT}>
          The trend appears once the matching service starts sessions.
        </EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <ComposedChart data={days} margin={{ top: 8, right: 4, bottom: 0, left: 4 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis
              dataKey="date"
              tickFormatter={formatDay}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: CHART_COLORS.muted }}
              minTickGap={28}
            />
            <YAxis
              yAxisId="rate"
              domain={[0, 1]}
              ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
              tickFormatter={formatWholePercent}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={64}
              label={verticalAxisLabel('Conversion rate')}
            />
            <YAxis
              yAxisId="sessions"
              orientation="right"
              allowDecimals={false}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={56}
              label={verticalAxisLabel('Sessions', 'right')}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              labelFormatter={(date) => formatDay(String(date))}
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
        </ResponsiveContainer>
      )}
    </Panel>
  );
}
