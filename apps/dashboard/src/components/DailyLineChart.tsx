import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { type AxisScale, axisTicks } from '../model/axis-ticks';
import type { DailyFigures } from '../model/daily-series';
import { formatAverage } from '../model/format';
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
      <ChartFrame data={days} height={HEIGHT} emptyTitle="No sessions in this window yet">
        {(data) => (
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
            <XAxis {...DAY_AXIS} />
            <YAxis
              domain={[scale.min, ticks.at(-1) ?? scale.min]}
              ticks={ticks}
              tickFormatter={(value: number) => formatAverage(value)}
              {...VALUE_AXIS}
              width={64}
              label={verticalAxisLabel(figureName)}
            />
            <Tooltip
              {...DAY_TOOLTIP}
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
        )}
      </ChartFrame>
    </Panel>
  );
}
