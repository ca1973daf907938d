import { CHART_COLORS } from './chart-theme';

/** One legend for all the segment weight charts, which are too small to carry their own. */
export function WeightsLegend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="legend-swatch" style={{ background: CHART_COLORS.muted }} /> Default
      </li>
      <li>
        <span className="legend-swatch" style={{ background: CHART_COLORS.primary }} /> Learned ± 95% interval
      </li>
      <li>
        <span className="legend-swatch" style={{ background: CHART_COLORS.secondary }} /> Served
      </li>
    </ul>
  );
}
