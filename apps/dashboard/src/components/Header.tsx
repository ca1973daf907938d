import { formatClockTime } from '../model/format';
import { BrandMark } from './BrandMark';

interface HeaderProps {
  /** When the figures on screen were fetched; null until they first arrive. */
  updatedAt: Date | null;
  refreshing: boolean;
  onRefresh: () => void;
  onSignOut: () => void;
}

export function Header({ updatedAt, refreshing, onRefresh, onSignOut }: HeaderProps) {
  return (
    <header className="app-header">
      <div className="brand">
        <BrandMark />
        <span className="brand-name">Matchloop</span>
        <span className="brand-product">Feedback loop</span>
      </div>
      <div className="header-actions">
        <span className="updated-at" aria-live="polite">
          {refreshing ? 'Updating…' : updatedAt ? `Updated ${formatClockTime(updatedAt)}` : ''}
        </span>
        <button className="button ghost" type="button" onClick={onRefresh} disabled={refreshing}>
          Refresh
        </button>
        <button className="button ghost" type="button" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </div>
    </header>
  );
}
