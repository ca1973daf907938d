import type { StartSessionOutput } from '@matchloop/schemas';
import type { SessionOutcome } from './engagement';
import type { TalliedFigures } from './outcomes';
import { OutcomeTally } from './outcomes';
import type { PlannedSession } from './sessions';

/** One finished session, as the driver saw it. */
export interface CompletedSession {
  readonly plan: PlannedSession;
  readonly session: StartSessionOutput;
  readonly outcome: SessionOutcome;
  /** As the server recorded it; null when the customer chose none. */
  readonly chosenRank: number | null;
  /** The ranks the customer would have chosen under other rankings, with the same taste shocks. */
  readonly chosenRankHadItBeenRankedBy: {
    readonly defaults: number | null;
    readonly trueWeights: number | null;
  };
}

export interface BlockReport {
  /** 1-based, inclusive. */
  readonly firstSession: number;
  readonly lastSession: number;
  readonly figures: TalliedFigures;
  /** Share of the block's sessions that Matchloop ranked with learned or blended weights. */
  readonly learnedShare: number;
}

/**
 * The sessions Matchloop ranked with learned or blended weights, replayed with the same customers and the
 * same taste shocks under other rankings. Because only the ranking differs, the comparison is free of the
 * session-to-session noise that swamps a lift of a few points in a run of a few thousand sessions.
 */
export interface CounterfactualReport {
  /** What actually happened. */
  readonly served: TalliedFigures;
  /** Had Matchloop kept ranking with the segment's documented defaults. */
  readonly defaults: TalliedFigures;
  /** Had Matchloop known each customer's true segment and its true weights: the best a learner can do. */
  readonly trueWeights: TalliedFigures;
}

export interface RunFigures {
  readonly overall: TalliedFigures;
  readonly blocks: readonly BlockReport[];
  /** Sessions ranked with the defaults against those ranked with learned or blended weights. */
  readonly byWeightsSource: { readonly default: TalliedFigures; readonly learned: TalliedFigures };
  readonly counterfactual: CounterfactualReport;
  /** Share of sessions Matchloop placed in the customer's true segment. */
  readonly segmentationAccuracy: number;
}

/** The figures of a simulation run, added up session by session in the order the choices were recorded. */
export class RunTally {
  completed = 0;
  private readonly overall = new OutcomeTally();
  private readonly ranked = { default: new OutcomeTally(), learned: new OutcomeTally() };
  private readonly counterfactual = {
    served: new OutcomeTally(),
    defaults: new OutcomeTally(),
    trueWeights: new OutcomeTally(),
  };
  private readonly blocks: BlockReport[] = [];
  private block = new OutcomeTally();
  private blockLearned = 0;
  private correctlySegmented = 0;

  constructor(
    private readonly blockSize: number,
    private readonly onBlockCompleted: (block: BlockReport) => void = () => {},
  ) {}

  add({ plan, session, outcome, chosenRank, chosenRankHadItBeenRankedBy }: CompletedSession): void {
    const learned = session.weights.source !== 'default';
    for (const tally of [this.overall, this.block, learned ? this.ranked.learned : this.ranked.default]) {
      tally.add(chosenRank, outcome);
    }
    if (learned) {
      this.blockLearned += 1;
      this.counterfactual.served.add(chosenRank);
      this.counterfactual.defaults.add(chosenRankHadItBeenRankedBy.defaults);
      this.counterfactual.trueWeights.add(chosenRankHadItBeenRankedBy.trueWeights);
    }
    if (session.segment === plan.customer.segment) this.correctlySegmented += 1;
    this.completed += 1;
    if (this.completed % this.blockSize === 0) this.closeBlock();
  }

  /** The figures so far; a last, shorter block is closed first. */
  figures(): RunFigures {
    if (this.block.figures().sessions > 0) this.closeBlock();
    return {
      overall: this.overall.figures(),
      blocks: [...this.blocks],
      byWeightsSource: { default: this.ranked.default.figures(), learned: this.ranked.learned.figures() },
      counterfactual: {
        served: this.counterfactual.served.figures(),
        defaults: this.counterfactual.defaults.figures(),
        trueWeights: this.counterfactual.trueWeights.figures(),
      },
      segmentationAccuracy: this.completed === 0 ? 0 : this.correctlySegmented / this.completed,
    };
  }

  private closeBlock(): void {
    const figures = this.block.figures();
    const report: BlockReport = {
      firstSession: this.completed - figures.sessions + 1,
      lastSession: this.completed,
      figures,
      learnedShare: this.blockLearned / figures.sessions,
    };
    this.blocks.push(report);
    this.onBlockCompleted(report);
    this.block = new OutcomeTally();
    this.blockLearned = 0;
  }
}
