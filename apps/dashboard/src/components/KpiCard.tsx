import type { ReactNode } from 'react';
import { Skeleton } from './Skeleton';

interface KpiCardProps {
  label: string;
  /** The formatted figure; undefined while it loads. */
  value: string | undefined;
  /** Shown after the value in a lighter type, e.g. "/ 5". */
  unit?: string;
  /** One line of context under the value. */
  note?: ReactNode;
  testId: string;
}

export function KpiCard({ label, value, unit, note, testId }: KpiCardProps) {
  return (
    <div className="kpi">
      <p className="kpi-label">{label}</p>
      {value === undefined ? (
        <Skeleton height={34} width="60%" />
      ) : (
        <p className="kpi-figure">
          <span className="kpi-value" data-testid={testId}>
            {value}
          </span>
          {unit && <span className="kpi-unit">{unit}</span>}
        </p>
      )}
      {note && <p className="kpi-note">{note}</p>}
    </div>
  );
}
