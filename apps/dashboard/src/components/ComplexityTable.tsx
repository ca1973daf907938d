import type { ComplexityFigures } from '../model/figures';
import { complexityLabel } from '../model/labels';
import { EmptyState } from './EmptyState';
import { FiguresTable } from './FiguresTable';
import { OUTCOME_COLUMNS } from './outcome-columns';
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
      {rows === undefined ? (
        <TableSkeleton rows={4} />
      ) : rows.length === 0 ? (
        <EmptyState title="No complexity levels to show" />
      ) : (
        <FiguresTable
          rows={rows}
          rowKey={(row) => row.complexity ?? 'not-stated'}
          columns={[
            { heading: 'Complexity', render: (row) => <strong>{complexityLabel(row.complexity)}</strong> },
            OUTCOME_COLUMNS.sessions,
            OUTCOME_COLUMNS.conversion,
            OUTCOME_COLUMNS.chosenRank,
            OUTCOME_COLUMNS.satisfaction,
            OUTCOME_COLUMNS.decisionTime,
            OUTCOME_COLUMNS.helpfulRating,
          ]}
        />
      )}
    </Panel>
  );
}
