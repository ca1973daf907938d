import { type FormEvent, useState } from 'react';
import { createDashboardClient, verifyAdminKey } from '../api/client';
import { describeProblem, type ProblemDescription } from '../api/errors';
import { BrandMark } from './BrandMark';

/** The admin key form. A key is kept only once the server has accepted it for analytics. */
export function SignIn({ onSignedIn }: { onSignedIn: (adminKey: string) => void }) {
  const [adminKey, setAdminKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<ProblemDescription | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const key = adminKey.trim();
    if (!key) return;
    setChecking(true);
    setProblem(null);
    try {
      await verifyAdminKey(createDashboardClient(key));
      onSignedIn(key);
    } catch (error) {
      setProblem(describeProblem(error));
      setChecking(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={submit}>
        <div className="brand">
          <BrandMark />
          <span className="brand-name">Matchloop</span>
        </div>
        <h1 className="sign-in-title">Feedback loop dashboard</h1>
        <p className="sign-in-lead">
          Enter an admin API key. It is kept in this browser tab until you sign out or close it.
        </p>
        <label className="field">
          <span className="field-label">Admin API key</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={adminKey}
            onChange={(event) => setAdminKey(event.target.value)}
            placeholder="mlk_…"
            data-testid="admin-key-input"
            aria-invalid={problem !== null}
            // biome-ignore lint/a11y/noAutofocus: the key is the only thing this screen asks for.
            autoFocus
          />
        </label>
        {problem && (
          <div className="sign-in-error" role="alert" data-testid="sign-in-error">
            <strong>{problem.title}.</strong> {problem.detail}
          </div>
        )}
        <button className="button primary" type="submit" disabled={checking || !adminKey.trim()}>
          {checking ? 'Checking the key…' : 'Open the dashboard'}
        </button>
        <p className="sign-in-hint">
          No key yet? On the server, run <code>matchloop keys create --scope admin --name dashboard</code>.
        </p>
      </form>
    </main>
  );
}
