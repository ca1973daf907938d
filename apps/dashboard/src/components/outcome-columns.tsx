import type { OutcomeFigures } from '../model/figures';
import { formatAverage, formatCount, formatDuration, formatPercent } from '../model/format';
import type { FiguresColumn } from './FiguresTable';
import { MeterCell } from './MeterCell';

/** The columns every breakdown shares, so segments, complexity levels and weights sources read alike. */
export const OUTCOME_COLUMNS = {
  sessions: { heading: 'Sessions', numeric: true, render: (row) => formatCount(row.sessions) },
  conversion: {
    heading: 'Conversion',
    hint: 'Sessions ending with a manufacturer chosen',
    numeric: true,
    render: (row) => <MeterCell value={row.conversionRate} text={formatPercent(row.conversionRate)} />,
  },
  chosenRank: {
    heading: 'Avg. chosen rank',
    hint: '1 = the top recommendation',
    numeric: true,
    render: (row) => formatAverage(row.averageChosenRank),
  },
  satisfaction: {
    heading: 'Satisfaction',
    hint: 'Out of 5',
    numeric: true,
    render: (row) => formatAverage(row.averageSatisfaction),
  },
  decisionTime: {
    heading: 'Decision time',
    numeric: true,
    render: (row) => formatDuration(row.averageDecisionTimeSeconds),
  },
  helpfulRating: {
    heading: 'Helpfulness',
    hint: 'How helpful customers rated the explanations, out of 5',
    numeric: true,
    render: (row) => formatAverage(row.averageHelpfulRating),
  },
} satisfies Record<string, FiguresColumn<OutcomeFigures>>;

/** The outcome columns every breakdown leads with, in this order. */
export const HEADLINE_OUTCOME_COLUMNS: FiguresColumn<OutcomeFigures>[] = [
  OUTCOME_COLUMNS.sessions,
  OUTCOME_COLUMNS.conversion,
  OUTCOME_COLUMNS.chosenRank,
  OUTCOME_COLUMNS.satisfaction,
];
