import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type AxisScale, axisTicks } from '../model/axis-ticks';
import type { DailyFigures } from '../model/daily-series';
import { formatAverage, formatDay } from '../model/format';
import { AXIS_TICK, CHART_COLORS, NO_ANIMATION, TOOLTIP_STYLE, verticalAxisLabel } from './chart-theme';
import { EmptyState } from './EmptyState';
import { Panel } from './Panel';
import { Skeleton } from './Skeleton';

const HEIGHT = 240;

interface DailyLineChartProps {
  title: string;
  description: string;
  days: DailyFigures[] | undefined;
  figure: 'averageChosenRank' | 'averageSatisfaction';
  /** Names the line in the tooltip and titles the vertical axis. */
  figureName: string;
  scale: AxisScale;
  color: string;
  testId: string;
}

/** One daily average as a line; a day without sessions is a gap in it, not a zero. */
export function DailyLineChart({
  title,
  description,
  days,
  figure,
  figureName,
  scale,
  color,
  testId,
}: DailyLineChartProps) {
  const ticks = axisTicks(
    scale,
    (days ?? []).map((day) => day[figure]),
  );
  return (
    <Panel title={title} description={description} testId={testId}>
      {days === undefined ? (
        <Skeleton height={HEIGHT} />
      ) : days.length === 0 ? (
        <EmptyState title="No sessions in this window yet" height={HEIGHT} />
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={days} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
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
              domain={[scale.min, ticks.at(-1) ?? scale.min]}
              ticks={ticks}
              tickFormatter={(value: number) => formatAverage(value)}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={64}
              label={verticalAxisLabel(figureName)}
            />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              labelFormatter={(date) => formatDay(String(date))}
              formatter={(value) => formatAverage(value === undefined ? null : Number(value))}
            />
            <Line
              dataKey={figure}
              name={figureName}
              stroke={color}
              strokeWidth={2.25}
              dot={{ r: 2.5, fill: color }}
              {...NO_ANIMATION}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}
