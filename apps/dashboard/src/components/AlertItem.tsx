import { formatAlertFigure } from '../model/alert-figures';
import type { Alert } from '../model/figures';
import { formatCount, formatDateTime } from '../model/format';
import { ALERT_RULE_LABELS, SEGMENT_LABELS } from '../model/labels';

/** One firing alert on one row: what crossed which threshold, where, on how much evidence, and since when. */
export function AlertItem({ alert }: { alert: Alert }) {
  const evidence = alert.rule === 'low_learning_confidence' ? 'choices' : 'sessions';
  return (
    <li className="alert-item">
      <div className="alert-what">
        <strong>{ALERT_RULE_LABELS[alert.rule]}</strong>
        <span className="tag">{alert.segment ? SEGMENT_LABELS[alert.segment] : 'Whole marketplace'}</span>
      </div>
      <p className="alert-message">{alert.message}</p>
      <p className="alert-figures">
        <strong>{formatAlertFigure(alert.rule, alert.value)}</strong> vs{' '}
        {formatAlertFigure(alert.rule, alert.threshold)} · {formatCount(alert.sampleSize)} {evidence}
      </p>
      <time className="alert-raised" dateTime={alert.raisedAt.toISOString()} title="Raised">
        {formatDateTime(alert.raisedAt)}
      </time>
    </li>
  );
}
