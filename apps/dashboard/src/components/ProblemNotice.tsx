import { describeProblem } from '../api/errors';

/** A failed call, said plainly, with the one action that can fix it when the key was refused. */
export function ProblemNotice({ error, onSignInAgain }: { error: unknown; onSignInAgain: () => void }) {
  const problem = describeProblem(error);
  return (
    <div className="problem" role="alert" data-testid="problem">
      <div>
        <p className="problem-title">{problem.title}</p>
        <p className="problem-detail">{problem.detail}</p>
      </div>
      {problem.keyRejected && (
        <button className="button" type="button" onClick={onSignInAgain}>
          Sign in with another key
        </button>
      )}
    </div>
  );
}
