import { randomUUID } from 'node:crypto';
import { FACTORS, SEGMENTS, type Segment } from '@matchloop/schemas';
import {
  createMatchloopClient,
  type Factor,
  type FactorScores,
  type MatchloopClient,
  type RecordChoiceInput,
  type RecordChoiceOutput,
  type RecordInteractionInput,
  type RecordInteractionOutput,
  type StartSessionInput,
  type StartSessionOutput,
  type WeightsOutput,
} from '@matchloop/sdk';

/** A write the server answered with success, and what it answered. */
export interface Acknowledged<Input, Output> {
  readonly input: Input;
  readonly output: Output;
}

/** Every write the servers acknowledged, keyed by the id the client chose for it. */
export class AcknowledgedWrites {
  readonly sessions = new Map<string, Acknowledged<StartSessionInput, StartSessionOutput>>();
  /** By event id. */
  readonly interactions = new Map<string, Acknowledged<RecordInteractionInput, RecordInteractionOutput>>();
  /** By session id. */
  readonly choices = new Map<string, Acknowledged<RecordChoiceInput, RecordChoiceOutput>>();
}

/** Stated preferences that place customers in every segment, so all of them learn at once. */
const CUSTOMER_KINDS = [
  { budgetSensitivity: 0.9 },
  { qualityRequirement: 0.9, budgetSensitivity: 0.5 },
  { urgency: 0.9 },
  { localPreference: 0.9 },
  { qualityRequirement: 0.9, budgetSensitivity: 0.1 },
  {},
] as const;

/** Enough customers that none makes more choices than the learner takes from one customer. */
const CUSTOMERS = 40;
const CANDIDATES_PER_SESSION = 4;

export interface TrafficOptions {
  /** The servers to spread the customers over; a journey's steps go to different ones when there are several. */
  readonly urls: readonly string[];
  readonly apiKey: string;
  /** Customers acting at the same time, each through SDK clients of its own. */
  readonly concurrency: number;
  readonly acknowledged: AcknowledgedWrites;
  /** Once aborted, no customer sends another request. */
  readonly stop: AbortSignal;
  /** Whether the servers are killed at the stop, so that the requests then in flight may fail. */
  readonly serversKilledAtStop?: boolean;
  /**
   * Called once a choice is acknowledged, with a client of the next server along: when there are several,
   * another one than the server that acknowledged it.
   */
  readonly afterChoice?: (
    choice: Acknowledged<RecordChoiceInput, RecordChoiceOutput>,
    otherServer: MatchloopClient,
  ) => Promise<void>;
}

/**
 * Customers going through the marketplace until stopped: each starts a session, looks at and compares
 * what is shown, and chooses one manufacturer or none, with ids of its own so every write can be found
 * again. Resolves when every customer has stopped; rejects with the first failure, unless the servers were
 * killed at the stop and it failed after it.
 */
export async function runCustomerTraffic(options: TrafficOptions): Promise<void> {
  // One customer failing stops the others too, rather than leaving them to run on.
  const failure = new AbortController();
  const stop = AbortSignal.any([options.stop, failure.signal]);
  let journeys = 0;
  const customer = async (): Promise<void> => {
    // Clients of their own, so that customers' requests are not batched together and arrive interleaved.
    const clients = options.urls.map((url) => createMatchloopClient({ url, apiKey: options.apiKey }));
    while (!stop.aborted) {
      const journey = journeys++;
      try {
        await runJourney(journey, clients, stop, options);
      } catch (error) {
        if (options.serversKilledAtStop && options.stop.aborted) return;
        failure.abort();
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, customer));
}

async function runJourney(
  journey: number,
  clients: readonly MatchloopClient[],
  stop: AbortSignal,
  { acknowledged, afterChoice }: TrafficOptions,
): Promise<void> {
  const server = (step: number) => clients[(journey + step) % clients.length] as MatchloopClient;

  const request = sessionFor(journey);
  const session = await server(0).feedbackLearning.startSession.mutate(request);
  acknowledged.sessions.set(session.sessionId, { input: request, output: session });

  for (const [step, interactionType] of (['viewed', 'compared'] as const).entries()) {
    if (stop.aborted) return;
    const eventId = randomUUID();
    const interaction: RecordInteractionInput = {
      eventId,
      sessionId: session.sessionId,
      manufacturerId: session.recommendations[step]?.manufacturerId ?? '',
      interactionType,
      timeSpentSeconds: 5 + (journey % 50),
    };
    const recorded = await server(1).feedbackLearning.recordInteraction.mutate(interaction);
    acknowledged.interactions.set(eventId, { input: interaction, output: recorded });
  }

  if (stop.aborted) return;
  const choice: RecordChoiceInput = {
    sessionId: session.sessionId,
    // Mostly the top options, now and then none at all.
    chosenManufacturerId:
      journey % 7 === 6 ? null : (session.recommendations[journey % 3]?.manufacturerId ?? null),
    satisfaction: 1 + (journey % 5),
    importantFactors: [FACTORS[journey % FACTORS.length] as Factor],
  };
  const learned = await server(2).feedbackLearning.recordChoice.mutate(choice);
  const acknowledgedChoice = { input: choice, output: learned };
  acknowledged.choices.set(choice.sessionId, acknowledgedChoice);
  await afterChoice?.(acknowledgedChoice, server(3));
}

/** A session of one of a few dozen customers, shown manufacturers whose factors vary from journey to journey. */
function sessionFor(journey: number): StartSessionInput {
  const candidates = Array.from({ length: CANDIDATES_PER_SESSION }, (_, option) => ({
    manufacturerId: `manufacturer-${(journey * 3 + option) % 25}`,
    factors: Object.fromEntries(
      FACTORS.map((factor, k) => [factor, ((journey * 7 + option * 13 + k * 5) % 11) / 10]),
    ) as FactorScores,
  }));
  return {
    sessionId: randomUUID(),
    customerId: `customer-${journey % CUSTOMERS}`,
    preferences: CUSTOMER_KINDS[journey % CUSTOMER_KINDS.length],
    project: { complexity: 'moderate' },
    candidates,
  };
}

/** The weights every segment is served, as the matching service reads them, of at least `minVersion`. */
export async function weightsOfEverySegment(
  client: MatchloopClient,
  minVersion?: number,
): Promise<Record<Segment, WeightsOutput>> {
  const served = await Promise.all(
    SEGMENTS.map((segment) =>
      client.feedbackLearning.weights.query(minVersion === undefined ? { segment } : { segment, minVersion }),
    ),
  );
  return Object.fromEntries(served.map((weights) => [weights.segment, weights])) as Record<
    Segment,
    WeightsOutput
  >;
}
