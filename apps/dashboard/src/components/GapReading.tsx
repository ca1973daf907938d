import { type FactorComparison, NOTABLE_RANK_GAP } from '../model/stated-vs-revealed';

/** What a factor's two ranks mean, in words. */
export function GapReading({ comparison }: { comparison: FactorComparison }) {
  if (comparison.statedRank === null) return <span className="reading">Not named</span>;
  const gap = comparison.rankGap;
  if (gap === null) return <span className="reading">Nothing learned yet</span>;
  if (gap >= NOTABLE_RANK_GAP) {
    return (
      <span className="reading reading-gap" title="Customers say it matters more than their choices show">
        Overstated
      </span>
    );
  }
  if (gap <= -NOTABLE_RANK_GAP) {
    return (
      <span className="reading reading-gap" title="Customers' choices show it matters more than they say">
        Understated
      </span>
    );
  }
  return <span className="reading reading-consistent">Consistent</span>;
}
