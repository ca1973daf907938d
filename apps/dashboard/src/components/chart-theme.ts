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

/** Figures refresh every minute; animating each refresh would draw the eye for no reason. */
export const NO_ANIMATION = { isAnimationActive: false } as const;
