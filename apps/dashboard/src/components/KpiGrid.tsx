import { interactionsPerSessionTotal, type OutcomeFigures } from '../model/figures';
import { formatAverage, formatCount, formatDuration, formatPercent, formatRate } from '../model/format';
import { KpiCard } from './KpiCard';

/** The headline figures of the window; `figures` is undefined while they load. */
export function KpiGrid({ figures }: { figures: OutcomeFigures | undefined }) {
  const perSession = figures?.interactionsPerSession;
  return (
    <div className="kpi-grid">
      <KpiCard
        label="Sessions"
        value={figures && formatCount(figures.sessions)}
        note={figures && `${formatCount(figures.choices)} ended with a choice`}
        testId="kpi-sessions"
      />
      <KpiCard
        label="Conversion rate"
        value={figures && formatPercent(figures.conversionRate)}
        note="Sessions ending with a manufacturer chosen"
        testId="kpi-conversion-rate"
      />
      <KpiCard
        label="Average chosen rank"
        value={figures && formatAverage(figures.averageChosenRank)}
        note="1 = the top recommendation"
        testId="kpi-average-chosen-rank"
      />
      <KpiCard
        label="Satisfaction"
        value={figures && formatAverage(figures.averageSatisfaction)}
        unit="/ 5"
        note="Rated by customers after choosing"
        testId="kpi-average-satisfaction"
      />
      <KpiCard
        label="Decision time"
        value={figures && formatDuration(figures.averageDecisionTimeSeconds)}
        note="Average, from recommendations to choice"
        testId="kpi-average-decision-time"
      />
      <KpiCard
        label="Explanation helpfulness"
        value={figures && formatAverage(figures.averageHelpfulRating)}
        unit="/ 5"
        note="Rated by customers on recommendations"
        testId="kpi-average-helpful-rating"
      />
      <KpiCard
        label="Interactions per session"
        value={perSession && formatRate(interactionsPerSessionTotal(perSession))}
        note={
          perSession &&
          `${formatRate(perSession.viewed)} viewed · ${formatRate(perSession.expanded)} expanded · ${formatRate(perSession.compared)} compared · ${formatRate(perSession.contacted)} contacted`
        }
        testId="kpi-interactions-per-session"
      />
    </div>
  );
}
