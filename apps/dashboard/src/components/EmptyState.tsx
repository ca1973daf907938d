import type { ReactNode } from 'react';

/** What a view says when there is nothing to show yet, and why. */
export function EmptyState({
  title,
  children,
  height,
}: {
  title: string;
  children?: ReactNode;
  height?: number;
}) {
  return (
    <div className="empty-state" style={height ? { minHeight: height } : undefined}>
      <p className="empty-state-title">{title}</p>
      {children && <p className="empty-state-detail">{children}</p>}
    </div>
  );
}
