import type { SegmentFigures } from '../model/figures';
import { formatCount, formatPercent, formatRank } from '../model/format';
import { FACTOR_LABELS, SEGMENT_LABELS } from '../model/labels';
import { compareByRank, NOTABLE_RANK_GAP } from '../model/stated-vs-revealed';
import { FiguresTable } from './FiguresTable';
import { GapReading } from './GapReading';
import { RankSlopeChart } from './RankSlopeChart';

/** One segment's stated and revealed factors, as a table and as a slope chart of their ranks. */
export function StatedVsRevealedDetail({ figures }: { figures: SegmentFigures }) {
  const comparisons = compareByRank(figures.statedVsRevealed);
  return (
    <div className="stated-revealed">
      <div>
        <p className="panel-note">
          From {formatCount(figures.statedVsRevealed.statements)} choices in which{' '}
          {SEGMENT_LABELS[figures.segment].toLowerCase()} customers named important factors.
        </p>
        <FiguresTable
          rows={comparisons}
          rowKey={(row) => row.factor}
          columns={[
            { heading: 'Factor', render: (row) => <strong>{FACTOR_LABELS[row.factor]}</strong> },
            {
              heading: 'Named in',
              hint: 'Share of statements naming the factor',
              numeric: true,
              render: (row) => formatPercent(row.statedShare),
            },
            {
              heading: 'Stated',
              hint: 'Rank by how often it is named',
              numeric: true,
              render: (row) => formatRank(row.statedRank),
            },
            {
              heading: 'Revealed weight',
              numeric: true,
              render: (row) => formatPercent(row.revealedWeight),
            },
            {
              heading: 'Revealed',
              hint: 'Rank by revealed weight',
              numeric: true,
              render: (row) => formatRank(row.revealedRank),
            },
            { heading: 'Reading', render: (row) => <GapReading comparison={row} /> },
          ]}
        />
      </div>
      <RankSlopeChart comparisons={comparisons} gapThreshold={NOTABLE_RANK_GAP} />
    </div>
  );
}
