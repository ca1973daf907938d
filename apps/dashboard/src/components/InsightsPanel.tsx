import type { Insight } from '../model/figures';
import { EmptyState } from './EmptyState';
import { InsightItem } from './InsightItem';
import { Panel } from './Panel';
import { TableSkeleton } from './TableSkeleton';

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** What deserves an operator's attention, most severe first. */
export function InsightsPanel({ insights }: { insights: Insight[] | undefined }) {
  return (
    <Panel
      title="Insights"
      description="Drawn from this window's figures; each is claimed only once enough sessions support it."
      testId="insights"
    >
      {insights === undefined ? (
        <TableSkeleton rows={3} />
      ) : insights.length === 0 ? (
        <EmptyState title="Nothing stands out yet">
          Insights appear once there are enough sessions to support them.
        </EmptyState>
      ) : (
        <ul className="insight-list">
          {[...insights]
            .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
            .map((insight) => (
              <InsightItem
                key={`${insight.kind}:${insight.segment}:${insight.complexity}:${insight.message}`}
                insight={insight}
              />
            ))}
        </ul>
      )}
    </Panel>
  );
}
