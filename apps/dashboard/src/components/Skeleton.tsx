/** A placeholder of the size of what is loading, so the page does not jump when it arrives. */
export function Skeleton({ height, width = '100%' }: { height: number; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} aria-hidden="true" />;
}
