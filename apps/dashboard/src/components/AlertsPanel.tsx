import type { Alert } from '../model/figures';
import { AlertItem } from './AlertItem';
import { Skeleton } from './Skeleton';

/**
 * The alerts firing now, first on the page: they are why an operator opens it. When none fires, one quiet
 * line says so, so that "no alerts" is never confused with "alerts not loaded".
 */
export function AlertsPanel({ alerts }: { alerts: Alert[] | undefined }) {
  if (alerts === undefined) return <Skeleton height={48} />;
  if (alerts.length === 0) {
    return (
      <div className="all-clear" data-testid="alerts">
        <span className="all-clear-dot" aria-hidden="true" /> No alerts firing. Conversion, chosen rank,
        satisfaction and learning confidence are within their thresholds.
      </div>
    );
  }
  return (
    <section className="alerts" data-testid="alerts" aria-label="Alerts firing">
      <h2 className="alerts-title">
        {alerts.length === 1 ? '1 alert firing' : `${alerts.length} alerts firing`}
      </h2>
      <ul className="alert-list">
        {alerts.map((alert) => (
          <AlertItem key={alert.id} alert={alert} />
        ))}
      </ul>
    </section>
  );
}
