import type { Alert } from './figures';
import { formatAverage, formatConfidence, formatPercent } from './format';

/** An alert's figure or threshold in the unit of its rule. */
export function formatAlertFigure(rule: Alert['rule'], value: number): string {
  switch (rule) {
    case 'low_conversion':
      return formatPercent(value);
    case 'high_chosen_rank':
      return formatAverage(value);
    case 'low_learning_confidence':
      return formatConfidence(value);
    case 'low_satisfaction':
      return `${formatAverage(value)} / 5`;
  }
}
