import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  description?: ReactNode;
  /** Controls shown at the right of the title, e.g. a segment switch. */
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** A titled card: the frame of every view on the dashboard. */
export function Panel({ title, description, actions, testId, children }: PanelProps) {
  return (
    <section className="panel" data-testid={testId}>
      <header className="panel-header">
        <div>
          <h3 className="panel-title">{title}</h3>
          {description && <p className="panel-description">{description}</p>}
        </div>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
