import type { Segment } from '@matchloop/sdk';
import { useState } from 'react';
import type { SegmentFigures } from '../model/figures';
import { SEGMENT_LABELS } from '../model/labels';
import { EmptyState } from './EmptyState';
import { Panel } from './Panel';
import { StatedVsRevealedDetail } from './StatedVsRevealedDetail';
import { TableSkeleton } from './TableSkeleton';

/** What customers say matters beside what their choices show, one segment at a time. */
export function StatedVsRevealedPanel({ bySegment }: { bySegment: SegmentFigures[] | undefined }) {
  const [picked, setPicked] = useState<Segment | null>(null);
  // The first segment with statements is shown until the operator picks one; a picked segment that the
  // filters no longer include falls back the same way.
  const shown =
    bySegment?.find((row) => row.segment === picked) ??
    bySegment?.find((row) => row.statedVsRevealed.statements > 0) ??
    bySegment?.[0];

  return (
    <Panel
      title="Stated vs revealed"
      description="How often customers name a factor as important, against the weight their choices reveal, compared by rank."
      actions={
        bySegment &&
        bySegment.length > 1 && (
          <select
            className="compact-select"
            aria-label="Segment"
            value={shown?.segment}
            onChange={(event) => setPicked(event.target.value as Segment)}
          >
            {bySegment.map((row) => (
              <option key={row.segment} value={row.segment}>
                {SEGMENT_LABELS[row.segment]}
              </option>
            ))}
          </select>
        )
      }
      testId="stated-vs-revealed"
    >
      {shown === undefined ? (
        <TableSkeleton rows={6} />
      ) : shown.statedVsRevealed.statements === 0 ? (
        <EmptyState
          title={`No ${SEGMENT_LABELS[shown.segment].toLowerCase()} customer has named a factor yet`}
        >
          Customers name the factors that mattered to them when they record their choice.
        </EmptyState>
      ) : (
        <StatedVsRevealedDetail figures={shown} />
      )}
    </Panel>
  );
}
