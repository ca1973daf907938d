import { formatDay } from '../model/format';

/** The charts' palette and axis styling, matching the custom properties in styles.css. */
export const CHART_COLORS = {
  primary: '#2563eb',
  secondary: '#0d9488',
  accent: '#7c3aed',
  muted: '#cbd5e1',
  volume: '#e2e8f0',
  grid: '#eef2f6',
  axis: '#64748b',
} as const;

export const AXIS_TICK = { fill: CHART_COLORS.axis, fontSize: 12 } as const;

/** A horizontal axis, spread out `{...CATEGORY_AXIS}` on an `XAxis`: ticks over a light base line. */
export const CATEGORY_AXIS = {
  tick: AXIS_TICK,
  tickLine: false,
  axisLine: { stroke: CHART_COLORS.muted },
} as const;

/** A horizontal axis of days, spread out `{...DAY_AXIS}` on an `XAxis` over points with an ISO `date`. */
export const DAY_AXIS = {
  ...CATEGORY_AXIS,
  dataKey: 'date',
  tickFormatter: formatDay,
  minTickGap: 28,
} as const;

/** A vertical axis of values, spread out `{...VALUE_AXIS}` on a `YAxis`: ticks only, the grid draws the lines. */
export const VALUE_AXIS = { tick: AXIS_TICK, tickLine: false, axisLine: false } as const;

/** An axis title, drawn along a vertical axis. */
export function verticalAxisLabel(value: string, side: 'left' | 'right' = 'left') {
  return {
    value,
    angle: side === 'left' ? -90 : 90,
    position: side === 'left' ? ('insideLeft' as const) : ('insideRight' as const),
    style: { textAnchor: 'middle' as const, fill: CHART_COLORS.axis, fontSize: 12 },
  };
}

/** The tooltip box, in the panels' style (the chart library styles it inline, so it is styled here). */
export const TOOLTIP_STYLE = {
  borderRadius: 8,
  borderColor: '#e3e8ef',
  boxShadow: '0 6px 16px rgb(15 23 42 / 0.08)',
  fontSize: 13,
} as const;

/** The tooltip of a chart of days, spread out `{...DAY_TOOLTIP}` on a `Tooltip`: headed by the day. */
export const DAY_TOOLTIP = {
  contentStyle: TOOLTIP_STYLE,
  labelFormatter: (date: unknown) => formatDay(String(date)),
} as const;

/** Figures refresh every minute; animating each refresh would draw the eye for no reason. */
export const NO_ANIMATION = { isAnimationActive: false } as const;
