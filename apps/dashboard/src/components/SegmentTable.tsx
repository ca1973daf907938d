import type { Segment, WeightsSource } from '@matchloop/sdk';
import type { SegmentFigures } from '../model/figures';
import { formatConfidence, formatCount } from '../model/format';
import { SEGMENT_LABELS } from '../model/labels';
import { FiguresTable } from './FiguresTable';
import { LoadStates } from './LoadStates';
import { MeterCell } from './MeterCell';
import { HEADLINE_OUTCOME_COLUMNS } from './outcome-columns';
import { Panel } from './Panel';
import { TableSkeleton } from './TableSkeleton';
import { WeightsSourceBadge } from './WeightsSourceBadge';

interface SegmentTableProps {
  rows: SegmentFigures[] | undefined;
  /** What each segment is served now, once its weights have loaded. */
  servedSources: ReadonlyMap<Segment, WeightsSource>;
}

/** How each kind of customer converts, next to how far learning has come for them. */
export function SegmentTable({ rows, servedSources }: SegmentTableProps) {
  return (
    <Panel
      title="Segments"
      description="Outcomes in this window; learning confidence and choices learned from are for all time."
      testId="segment-table"
    >
      <LoadStates items={rows} placeholder={<TableSkeleton rows={6} />} emptyTitle="No segments to show">
        {(rows) => (
          <FiguresTable
            rows={rows}
            rowKey={(row) => row.segment}
            columns={[
              { heading: 'Segment', render: (row) => <strong>{SEGMENT_LABELS[row.segment]}</strong> },
              ...HEADLINE_OUTCOME_COLUMNS,
              {
                heading: 'Learning confidence',
                hint: 'From 0 (nothing learned) to 1 (the learned weights are precise)',
                numeric: true,
                render: (row) => (
                  <MeterCell value={row.learningConfidence} text={formatConfidence(row.learningConfidence)} />
                ),
              },
              {
                heading: 'Learned from',
                hint: 'Choices the segment’s weights were learned from',
                numeric: true,
                render: (row) => formatCount(row.sampleSize),
              },
              {
                heading: 'Serving',
                hint: 'The weights the matching engine ranks this segment with now',
                render: (row) => {
                  const source = servedSources.get(row.segment);
                  return source ? <WeightsSourceBadge source={source} /> : '—';
                },
              },
            ]}
          />
        )}
      </LoadStates>
    </Panel>
  );
}
