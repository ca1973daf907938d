import { formatRank } from '../model/format';
import { FACTOR_LABELS } from '../model/labels';
import type { FactorComparison } from '../model/stated-vs-revealed';
import { CHART_COLORS } from './chart-theme';

const WIDTH = 420;
const ROW_HEIGHT = 34;
const TOP = 34;
const LEFT_X = 150;
const RIGHT_X = 270;
const GAP_COLOR = '#d97706';

interface RankSlopeChartProps {
  /** In stated order, unnamed factors last, as `compareByRank` gives them. */
  comparisons: FactorComparison[];
  gapThreshold: number;
}

/**
 * Each factor's stated rank on the left joined to its revealed rank on the right: level lines are
 * factors customers judge about right, steep amber ones are the gaps. Factors sharing a rank sit one
 * under the other; a factor nobody named has a dash on the left and no line.
 */
export function RankSlopeChart({ comparisons, gapThreshold }: RankSlopeChartProps) {
  const revealedOrder = [...comparisons].sort(
    (a, b) => (a.revealedRank ?? Infinity) - (b.revealedRank ?? Infinity),
  );
  const y = (position: number) => TOP + position * ROW_HEIGHT;
  const height = y(comparisons.length - 1) + 16;

  return (
    <svg
      className="slope-chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label="Stated rank against revealed rank, factor by factor"
      data-testid="rank-slope-chart"
    >
      <text x={LEFT_X} y={12} textAnchor="end" className="slope-heading">
        Stated
      </text>
      <text x={RIGHT_X} y={12} className="slope-heading">
        Revealed
      </text>
      {comparisons.map((comparison, statedPosition) => {
        const revealedPosition = revealedOrder.indexOf(comparison);
        const isGap = comparison.rankGap !== null && Math.abs(comparison.rankGap) >= gapThreshold;
        const color = isGap ? GAP_COLOR : CHART_COLORS.muted;
        const label = FACTOR_LABELS[comparison.factor];
        return (
          <g key={comparison.factor}>
            {/* The line first, so that the dots are drawn over its ends. */}
            {comparison.rankGap !== null && (
              <line
                x1={LEFT_X}
                y1={y(statedPosition)}
                x2={RIGHT_X}
                y2={y(revealedPosition)}
                stroke={color}
                strokeWidth={isGap ? 2.5 : 1.75}
              />
            )}
            <text x={LEFT_X - 12} y={y(statedPosition) + 4} textAnchor="end" className="slope-label">
              {label} <tspan className="slope-rank">{formatRank(comparison.statedRank)}</tspan>
            </text>
            {comparison.statedRank !== null && (
              <circle cx={LEFT_X} cy={y(statedPosition)} r={4} fill={color} />
            )}
            {comparison.revealedRank !== null && (
              <>
                <circle cx={RIGHT_X} cy={y(revealedPosition)} r={4} fill={color} />
                <text x={RIGHT_X + 12} y={y(revealedPosition) + 4} className="slope-label">
                  <tspan className="slope-rank">{formatRank(comparison.revealedRank)}</tspan> {label}
                </text>
              </>
            )}
          </g>
        );
      })}
    </svg>
  );
}
