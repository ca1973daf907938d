import type { ComplexityFigures } from '../model/figures';
import { complexityLabel } from '../model/labels';
import { FiguresTable } from './FiguresTable';
import { LoadStates } from './LoadStates';
import { HEADLINE_OUTCOME_COLUMNS, OUTCOME_COLUMNS } from './outcome-columns';
import { Panel } from './Panel';
import { TableSkeleton } from './TableSkeleton';

/** Outcomes per project complexity level: harder projects are where recommendations are most likely to miss. */
export function ComplexityTable({ rows }: { rows: ComplexityFigures[] | undefined }) {
  return (
    <Panel
      title="Project complexity"
      description="Outcomes by the complexity the matching service reported."
      testId="complexity-table"
    >
      <LoadStates
        items={rows}
        placeholder={<TableSkeleton rows={4} />}
        emptyTitle="No complexity levels to show"
      >
        {(rows) => (
          <FiguresTable
            rows={rows}
            rowKey={(row) => row.complexity ?? 'not-stated'}
            columns={[
              { heading: 'Complexity', render: (row) => <strong>{complexityLabel(row.complexity)}</strong> },
              ...HEADLINE_OUTCOME_COLUMNS,
              OUTCOME_COLUMNS.decisionTime,
              OUTCOME_COLUMNS.helpfulRating,
            ]}
          />
        )}
      </LoadStates>
    </Panel>
  );
}
