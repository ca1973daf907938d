import { interactionsPerSessionTotal, type OutcomeFigures } from '../model/figures';
import { formatAverage, formatCount, formatDuration, formatPercent, formatRate } from '../model/format';
import { KpiCard } from './KpiCard';

interface Kpi {
  label: string;
  testId: string;
  value: (figures: OutcomeFigures) => string;
  unit?: string;
  /** Fixed text, or drawn from the figures (and then shown once they have loaded). */
  note: string | ((figures: OutcomeFigures) => string);
}

/** The headline figures, in the order the grid shows them. */
const KPIS: Kpi[] = [
  {
    label: 'Sessions',
    testId: 'kpi-sessions',
    value: (figures) => formatCount(figures.sessions),
    note: (figures) => `${formatCount(figures.choices)} ended with a choice`,
  },
  {
    label: 'Conversion rate',
    testId: 'kpi-conversion-rate',
    value: (figures) => formatPercent(figures.conversionRate),
    note: 'Sessions ending with a manufacturer chosen',
  },
  {
    label: 'Average chosen rank',
    testId: 'kpi-average-chosen-rank',
    value: (figures) => formatAverage(figures.averageChosenRank),
    note: '1 = the top recommendation',
  },
  {
    label: 'Satisfaction',
    testId: 'kpi-average-satisfaction',
    value: (figures) => formatAverage(figures.averageSatisfaction),
    unit: '/ 5',
    note: 'Rated by customers after choosing',
  },
  {
    label: 'Decision time',
    testId: 'kpi-average-decision-time',
    value: (figures) => formatDuration(figures.averageDecisionTimeSeconds),
    note: 'Average, from recommendations to choice',
  },
  {
    label: 'Explanation helpfulness',
    testId: 'kpi-average-helpful-rating',
    value: (figures) => formatAverage(figures.averageHelpfulRating),
    unit: '/ 5',
    note: 'Rated by customers on recommendations',
  },
  {
    label: 'Interactions per session',
    testId: 'kpi-interactions-per-session',
    value: (figures) => formatRate(interactionsPerSessionTotal(figures.interactionsPerSession)),
    note: ({ interactionsPerSession: perSession }) =>
      `${formatRate(perSession.viewed)} viewed · ${formatRate(perSession.expanded)} expanded · ${formatRate(perSession.compared)} compared · ${formatRate(perSession.contacted)} contacted`,
  },
];

/** The headline figures of the window; `figures` is undefined while they load. */
export function KpiGrid({ figures }: { figures: OutcomeFigures | undefined }) {
  return (
    <div className="kpi-grid">
      {KPIS.map(({ label, testId, value, unit, note }) => (
        <KpiCard
          key={testId}
          label={label}
          value={figures && value(figures)}
          unit={unit}
          note={typeof note === 'string' ? note : figures && note(figures)}
          testId={testId}
        />
      ))}
    </div>
  );
}
