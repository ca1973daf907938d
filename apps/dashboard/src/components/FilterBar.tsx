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
      <FilterSelect<TimeWindow>
        label="Window"
        value={filters.window}
        options={Object.entries(TIME_WINDOWS).map(([window, { label }]) => [window as TimeWindow, label])}
        onChange={(window) => onChange({ ...filters, window })}
        testId="filter-window"
      />
      <FilterSelect<Segment | ''>
        label="Segment"
        value={filters.segment ?? ''}
        options={[
          ['', 'All segments'],
          ...SEGMENTS.map((segment) => [segment, SEGMENT_LABELS[segment]] as const),
        ]}
        onChange={(segment) => onChange({ ...filters, segment: segment || null })}
        testId="filter-segment"
      />
      <FilterSelect<Complexity | ''>
        label="Complexity"
        value={filters.complexity ?? ''}
        options={[
          ['', 'All levels'],
          ...COMPLEXITY_LEVELS.map((complexity) => [complexity, COMPLEXITY_LABELS[complexity]] as const),
        ]}
        onChange={(complexity) => onChange({ ...filters, complexity: complexity || null })}
        testId="filter-complexity"
      />
    </div>
  );
}

interface FilterSelectProps<Value extends string> {
  label: string;
  value: Value;
  /** Each option's value and the text shown for it, in the order shown. */
  options: readonly (readonly [Value, string])[];
  onChange: (value: Value) => void;
  testId: string;
}

/** One filter: a labelled choice among the given options. */
function FilterSelect<Value extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: FilterSelectProps<Value>) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value as Value)} data-testid={testId}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
