import type { DashboardFilters } from '../model/filters';
import { FilterBar } from './FilterBar';

interface PageHeadingProps {
  filters: DashboardFilters;
  onFiltersChange: (filters: DashboardFilters) => void;
}

/** The page's title beside the filters that every figure below it obeys. */
export function PageHeading({ filters, onFiltersChange }: PageHeadingProps) {
  return (
    <div className="page-heading">
      <div>
        <h1 className="page-title">Recommendation performance</h1>
        <p className="page-subtitle">
          How customers respond to the manufacturers recommended to them, and what Matchloop learns from it.
        </p>
      </div>
      <FilterBar filters={filters} onChange={onFiltersChange} />
    </div>
  );
}
