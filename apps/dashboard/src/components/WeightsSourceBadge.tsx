import type { WeightsSource } from '@matchloop/sdk';

const BADGE_TEXT: Record<WeightsSource, string> = {
  default: 'Defaults',
  blended: 'Blended',
  learned: 'Learned',
};

const BADGE_HINT: Record<WeightsSource, string> = {
  default: 'Too few choices yet: the segment’s documented default weights are served',
  blended: 'A blend of learned and default weights, leaning on the learned ones as confidence grows',
  learned: 'The learned weights are served as they are',
};

/** Which weights a segment is served, as a small coloured label. */
export function WeightsSourceBadge({ source }: { source: WeightsSource }) {
  return (
    <span className={`badge badge-${source}`} title={BADGE_HINT[source]}>
      {BADGE_TEXT[source]}
    </span>
  );
}
