import { DEFAULT_SEGMENT_WEIGHTS, rankCandidates } from '@matchloop/learning';
import type {
  Candidate,
  FactorWeights,
  Segment,
  StartSessionInput,
  StartSessionOutput,
  WeightsSource,
} from '@matchloop/schemas';
import { SEGMENTS } from '@matchloop/schemas';
import type { MatchloopClient } from '@matchloop/sdk';
import { decide } from './choice';
import { type Engagement, engage } from './engagement';
import { createMarket, DEFAULT_MARKET_CONFIG, type Market, type MarketConfig } from './market';
import { l1Distance } from './recovery';
import { type BlockReport, type RunFigures, RunTally } from './run-tally';
import { SEGMENT_PROFILES } from './segment-profiles';
import { type PlannedSession, planMarketSession } from './sessions';

export interface SimulationOptions {
  readonly sessions: number;
  readonly seed: number;
  /** Sessions in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Sessions per reported block. Default a tenth of the run. */
  readonly blockSize?: number;
  readonly market?: MarketConfig;
}

export interface SimulationProgress {
  /** After each session's choice is recorded, with the number of sessions completed so far. */
  readonly onSessionCompleted?: (completed: number) => void;
  readonly onBlockCompleted?: (block: BlockReport) => void;
}

/** Where a segment's learning stands at the end of the run, against the market's hidden truth. */
export interface SegmentLearningReport {
  readonly segment: Segment;
  readonly source: WeightsSource;
  readonly sampleSize: number;
  readonly confidence: number;
  readonly served: FactorWeights;
  readonly trueWeights: FactorWeights;
  /** L1 distance of the served weights from the truth, and of the documented defaults for comparison. */
  readonly servedL1Error: number;
  readonly defaultL1Error: number;
}

export interface SimulationReport extends RunFigures {
  readonly seed: number;
  readonly segments: readonly SegmentLearningReport[];
}

/**
 * Runs the synthetic market against a Matchloop server through the SDK, as the matching service and the
 * frontend would: each session is started with `order: 'ranked'`, the customer chooses among the options in
 * the order served, and the interactions and the choice are recorded. The key needs the `ingest` and `read`
 * scopes.
 *
 * Sessions go in waves of `concurrency`: a wave's sessions start and record their interactions concurrently,
 * then their choices are recorded one by one in session order. Every session of a wave is therefore ranked
 * from the same learned state, and that state is folded in a fixed order, so against a fresh server a seed
 * always gives the same report. (The server serialises choices anyway, so little speed is lost.)
 */
export async function runSimulation(
  client: MatchloopClient,
  options: SimulationOptions,
  progress: SimulationProgress = {},
): Promise<SimulationReport> {
  // Fail before sending a single session if the key cannot read weights, which the report needs at the end.
  await client.feedbackLearning.weights.query({ segment: 'balanced' });
  const market = createMarket(options.seed, options.market ?? DEFAULT_MARKET_CONFIG);
  const concurrency = options.concurrency ?? 8;
  const blockSize = options.blockSize ?? Math.max(1, Math.ceil(options.sessions / 10));
  const tally = new RunTally(blockSize, progress.onBlockCompleted);

  for (let waveStart = 0; waveStart < options.sessions; waveStart += concurrency) {
    const waveEnd = Math.min(options.sessions, waveStart + concurrency);
    const plans = Array.from({ length: waveEnd - waveStart }, (_, k) =>
      planMarketSession(market, waveStart + k),
    );
    const started = await Promise.all(
      plans.map((plan) => client.feedbackLearning.startSession.mutate(sessionRequest(plan, options.seed))),
    );
    const engagements = plans.map((plan, k) => respond(market, plan, started[k] as StartSessionOutput));
    await Promise.all(
      engagements.flatMap((engagement, k) =>
        engagement.interactions.map((interaction) =>
          client.feedbackLearning.recordInteraction.mutate({
            sessionId: (started[k] as StartSessionOutput).sessionId,
            ...interaction,
          }),
        ),
      ),
    );
    for (const [k, engagement] of engagements.entries()) {
      const plan = plans[k] as PlannedSession;
      const session = started[k] as StartSessionOutput;
      const { chosenRank } = await client.feedbackLearning.recordChoice.mutate({
        sessionId: session.sessionId,
        ...engagement.outcome,
      });
      tally.add({
        plan,
        session,
        outcome: engagement.outcome,
        chosenRank,
        chosenRankHadItBeenRankedBy: {
          defaults: chosenRankWhenRankedBy(market, plan, DEFAULT_SEGMENT_WEIGHTS[session.segment]),
          trueWeights: chosenRankWhenRankedBy(
            market,
            plan,
            SEGMENT_PROFILES[plan.customer.segment].trueWeights,
          ),
        },
      });
      progress.onSessionCompleted?.(tally.completed);
    }
  }

  return {
    seed: options.seed,
    ...tally.figures(),
    segments: await Promise.all(SEGMENTS.map((segment) => segmentLearning(client, segment))),
  };
}

/** What the matching service sends: the customer, the project, the proposals, ranked by Matchloop. */
function sessionRequest(plan: PlannedSession, seed: number): StartSessionInput {
  return {
    customerId: plan.customer.id,
    project: plan.project,
    preferences: plan.customer.preferences,
    candidates: [...plan.candidates],
    order: 'ranked',
    algorithmVersion: 'matchloop-simulator',
    metadata: { simulatorSeed: seed },
  };
}

/** The customer's reaction to the list as Matchloop ranked it. */
function respond(market: Market, plan: PlannedSession, session: StartSessionOutput): Engagement {
  const proposed = new Map(plan.candidates.map((candidate) => [candidate.manufacturerId, candidate]));
  const shown = [...session.recommendations]
    .sort((a, b) => a.rank - b.rank)
    .map((recommendation): Candidate => {
      const candidate = proposed.get(recommendation.manufacturerId);
      if (candidate === undefined) {
        throw new Error(`The server recommended ${recommendation.manufacturerId}, which was never proposed`);
      }
      return candidate;
    });
  const { behaviour } = market.config;
  const decision = decide(behaviour, plan.customer.trueWeights, shown, plan.shocks);
  return engage(plan, shown, decision, behaviour);
}

/** The rank the customer would have chosen had the proposals been ranked by `weights`; null for none. */
function chosenRankWhenRankedBy(market: Market, plan: PlannedSession, weights: FactorWeights): number | null {
  const shown = rankCandidates(plan.candidates, weights).map(({ candidate }) => candidate);
  const { chosenIndex } = decide(market.config.behaviour, plan.customer.trueWeights, shown, plan.shocks);
  return chosenIndex === null ? null : chosenIndex + 1;
}

async function segmentLearning(client: MatchloopClient, segment: Segment): Promise<SegmentLearningReport> {
  const weights = await client.feedbackLearning.weights.query({ segment });
  const { trueWeights } = SEGMENT_PROFILES[segment];
  return {
    segment,
    source: weights.source,
    sampleSize: weights.sampleSize,
    confidence: weights.confidence,
    served: weights.values,
    trueWeights,
    servedL1Error: l1Distance(weights.values, trueWeights),
    defaultL1Error: l1Distance(weights.defaults, trueWeights),
  };
}
