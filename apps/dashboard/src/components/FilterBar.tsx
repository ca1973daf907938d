import type { Complexity, Segment } from '@matchloop/sdk';
import { type DashboardFilters, TIME_WINDOWS, type TimeWindow } from '../model/filters';
import { COMPLEXITY_LABELS, COMPLEXITY_LEVELS, SEGMENT_LABELS, SEGMENTS } from '../model/labels';

interface FilterBarProps {
  filters: DashboardFilters;
  onChange: (filters: DashboardFilters) => void;
}

/** The window, segment and complexity that every figure on the page is restricted to. */
export function FilterBar({ filters, onChange }: FilterBarProps) {
  return (
    <div className="filters">
      <label className="filter">
        <span className="filter-label">Window</span>
        <select
          value={filters.window}
          onChange={(event) => onChange({ ...filters, window: event.target.value as TimeWindow })}
          data-testid="filter-window"
        >
          {Object.entries(TIME_WINDOWS).map(([window, { label }]) => (
            <option key={window} value={window}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Segment</span>
        <select
          value={filters.segment ?? ''}
          onChange={(event) =>
            onChange({ ...filters, segment: (event.target.value || null) as Segment | null })
          }
          data-testid="filter-segment"
        >
          <option value="">All segments</option>
          {SEGMENTS.map((segment) => (
            <option key={segment} value={segment}>
              {SEGMENT_LABELS[segment]}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Complexity</span>
        <select
          value={filters.complexity ?? ''}
          onChange={(event) =>
            onChange({ ...filters, complexity: (event.target.value || null) as Complexity | null })
          }
          data-testid="filter-complexity"
        >
          <option value="">All levels</option>
          {COMPLEXITY_LEVELS.map((complexity) => (
            <option key={complexity} value={complexity}>
              {COMPLEXITY_LABELS[complexity]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
