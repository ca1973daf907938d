import type { OutcomeFigures } from '@matchloop/schemas';
import type { SessionOutcome } from './engagement';

/** The outcome figures a run can tally from its own sessions, named as Matchloop's analytics names them. */
export type TalliedFigures = Pick<
  OutcomeFigures,
  | 'sessions'
  | 'choices'
  | 'conversionRate'
  | 'averageChosenRank'
  | 'averageSatisfaction'
  | 'averageDecisionTimeSeconds'
>;

/**
 * Outcome figures of a run of sessions, computed as Matchloop's analytics computes them, so that the two can
 * be set side by side: averages are over the sessions that have the value, and null when none has.
 */
export class OutcomeTally {
  private sessions = 0;
  private readonly chosenRank = new Average();
  private readonly satisfaction = new Average();
  private readonly decisionTime = new Average();

  /**
   * One session's outcome; `chosenRank` is null when the customer chose none. A counterfactual outcome has
   * no satisfaction or decision time, only the rank.
   */
  add(
    chosenRank: number | null,
    outcome: Pick<SessionOutcome, 'satisfaction' | 'decisionTimeSeconds'> = {},
  ): void {
    this.sessions += 1;
    this.chosenRank.add(chosenRank ?? undefined);
    this.satisfaction.add(outcome.satisfaction);
    this.decisionTime.add(outcome.decisionTimeSeconds);
  }

  figures(): TalliedFigures {
    const choices = this.chosenRank.count;
    return {
      sessions: this.sessions,
      choices,
      conversionRate: this.sessions === 0 ? null : choices / this.sessions,
      averageChosenRank: this.chosenRank.value(),
      averageSatisfaction: this.satisfaction.value(),
      averageDecisionTimeSeconds: this.decisionTime.value(),
    };
  }
}

class Average {
  count = 0;
  private sum = 0;

  add(value: number | undefined): void {
    if (value === undefined) return;
    this.count += 1;
    this.sum += value;
  }

  value(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }
}
