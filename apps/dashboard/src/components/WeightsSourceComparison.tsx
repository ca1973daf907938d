import type { WeightsSourceFigures } from '../model/figures';
import { WEIGHTS_SOURCE_LABELS } from '../model/labels';
import { FiguresTable } from './FiguresTable';
import { LearningPaysSummary } from './LearningPaysSummary';
import { LoadStates } from './LoadStates';
import { HEADLINE_OUTCOME_COLUMNS } from './outcome-columns';
import { Panel } from './Panel';
import { TableSkeleton } from './TableSkeleton';

/** Whether learning pays: sessions ranked with learned weights beside those ranked with the defaults. */
export function WeightsSourceComparison({ rows }: { rows: WeightsSourceFigures[] | undefined }) {
  const withSessions = rows?.filter((row) => row.sessions > 0);
  return (
    <Panel
      title="Learned vs default weights"
      description="Sessions by the weights they were ranked with. Default-ranked sessions are mostly a segment's first ones, so read the gap as a trend, not a controlled test."
      testId="weights-source-comparison"
    >
      <LoadStates
        items={withSessions}
        placeholder={<TableSkeleton rows={3} />}
        emptyTitle="No sessions in this window yet"
      >
        {(withSessions) => (
          <>
            <LearningPaysSummary rows={withSessions} />
            <FiguresTable
              rows={withSessions}
              rowKey={(row) => row.source}
              columns={[
                {
                  heading: 'Ranked with',
                  render: (row) => <strong>{WEIGHTS_SOURCE_LABELS[row.source]}</strong>,
                },
                ...HEADLINE_OUTCOME_COLUMNS,
              ]}
            />
          </>
        )}
      </LoadStates>
    </Panel>
  );
}
