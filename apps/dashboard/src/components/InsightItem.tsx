import type { Insight } from '../model/figures';
import { formatEvidence, humanize } from '../model/format';
import { complexityLabel, INSIGHT_KIND_LABELS, SEGMENT_LABELS } from '../model/labels';

/** One insight: its kind and severity, what it is about, the sentence, and the figures it rests on. */
export function InsightItem({ insight }: { insight: Insight }) {
  return (
    <li className={`insight insight-${insight.severity}`}>
      <div className="insight-heading">
        <span className={`severity severity-${insight.severity}`}>{insight.severity}</span>
        <strong>{INSIGHT_KIND_LABELS[insight.kind]}</strong>
        {insight.segment && <span className="tag">{SEGMENT_LABELS[insight.segment]}</span>}
        {insight.complexity && <span className="tag">{complexityLabel(insight.complexity)}</span>}
      </div>
      <p className="insight-message">{insight.message}</p>
      <dl className="evidence">
        {Object.entries(insight.evidence).map(([name, value]) => (
          <div key={name} className="evidence-item">
            <dt>{humanize(name)}</dt>
            <dd>{formatEvidence(value)}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}
