import type { WeightsSourceFigures } from '../model/figures';
import { formatAverage, formatPercent } from '../model/format';
import { WEIGHTS_SOURCE_LABELS } from '../model/labels';

/**
 * One sentence comparing sessions ranked with the most-learned weights there are (learned, else blended)
 * with those ranked with the defaults; nothing when either side has no sessions.
 */
export function LearningPaysSummary({ rows }: { rows: WeightsSourceFigures[] }) {
  const baseline = rows.find((row) => row.source === 'default');
  const learned =
    rows.find((row) => row.source === 'learned') ?? rows.find((row) => row.source === 'blended');
  if (!baseline || !learned) return null;
  return (
    <p className="comparison-summary" data-testid="learning-pays-summary">
      {WEIGHTS_SOURCE_LABELS[learned.source]}: <strong>{formatPercent(learned.conversionRate)}</strong>{' '}
      conversion, average rank <strong>{formatAverage(learned.averageChosenRank)}</strong> — against{' '}
      {formatPercent(baseline.conversionRate)} and {formatAverage(baseline.averageChosenRank)} with default
      weights.
    </p>
  );
}
