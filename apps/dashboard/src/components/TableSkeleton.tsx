import { Skeleton } from './Skeleton';

/** Placeholder rows for a table that is loading. */
export function TableSkeleton({ rows }: { rows: number }) {
  return (
    <div className="table-skeleton" role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to tell them apart.
        <Skeleton key={row} height={22} />
      ))}
    </div>
  );
}
