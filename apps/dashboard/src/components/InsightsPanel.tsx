import type { Insight } from '../model/figures';
import { InsightItem } from './InsightItem';
import { LoadStates } from './LoadStates';
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
      <LoadStates
        items={insights}
        placeholder={<TableSkeleton rows={3} />}
        emptyTitle="Nothing stands out yet"
        emptyDetail="Insights appear once there are enough sessions to support them."
      >
        {(insights) => (
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
      </LoadStates>
    </Panel>
  );
}
