import { seededRandom } from '@matchloop/learning/testing';
import {
  COMPLEXITY_LEVELS,
  FACTORS,
  type FactorScores,
  INTERACTION_TYPES,
  type RecordChoiceInput,
  type RecordInteractionInput,
  SEGMENTS,
  type Segment,
  type StartSessionInput,
  type StartSessionOutput,
} from '@matchloop/schemas';
import { OutOfWork } from './load';

const CANDIDATES_PER_SESSION = 10;
/** Enough customers that each has few sessions, as on the marketplace, yet some get segmented by their choices. */
const CUSTOMERS = 2_000;
const MANUFACTURERS = 300;
/** How often a customer chooses none of the manufacturers shown. */
const WALK_AWAY_RATE = 1 / 7;

/** A session Matchloop has opened: what a customer's later choice and interactions refer to. */
export interface OpenedSession {
  readonly sessionId: string;
  /** As recommended, best first. */
  readonly manufacturerIds: readonly string[];
}

export function openedSession({ sessionId, recommendations }: StartSessionOutput): OpenedSession {
  return { sessionId, manufacturerIds: recommendations.map(({ manufacturerId }) => manufacturerId) };
}

/** The sessions Matchloop has opened in a run. */
export class OpenedSessions {
  readonly #sessions: OpenedSession[] = [];
  #chosen = 0;
  #interactedWith = 0;

  add(session: OpenedSession): void {
    this.#sessions.push(session);
  }

  get opened(): number {
    return this.#sessions.length;
  }

  /** Sessions in which no choice has been recorded yet, nor will be by a request already sent. */
  get unchosen(): number {
    return this.#sessions.length - this.#chosen;
  }

  /** The oldest session without a choice, which the caller records one in: a session takes one choice. */
  takeUnchosen(): OpenedSession {
    const session = this.#sessions[this.#chosen];
    if (session === undefined) throw new OutOfWork('every session opened has had its choice recorded');
    this.#chosen += 1;
    return session;
  }

  /** Each session in turn: customers interact with recommendations whether or not they have chosen yet. */
  any(): OpenedSession {
    const session = this.#sessions[this.#interactedWith++ % this.#sessions.length];
    if (session === undefined) throw new Error('no session has been opened yet');
    return session;
  }
}

/**
 * The requests of the marketplace's customers, from a seeded generator so that every run sends the same
 * traffic: sessions of ten candidates for customers picked among many, choices that favour the top ranks,
 * and interactions with the manufacturers shown.
 */
export class MarketplaceTraffic {
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  sessionRequest(): StartSessionInput {
    const manufacturers = new Set<number>();
    while (manufacturers.size < CANDIDATES_PER_SESSION) manufacturers.add(this.#integerBelow(MANUFACTURERS));
    return {
      customerId: `customer-${this.#integerBelow(CUSTOMERS)}`,
      project: { complexity: this.#pick(COMPLEXITY_LEVELS) },
      preferences: {
        budgetSensitivity: this.#random(),
        urgency: this.#random(),
        qualityRequirement: this.#random(),
        localPreference: this.#random(),
      },
      candidates: [...manufacturers].map((manufacturer) => ({
        manufacturerId: `manufacturer-${manufacturer}`,
        factors: Object.fromEntries(FACTORS.map((factor) => [factor, this.#random()])) as FactorScores,
      })),
    };
  }

  choice({ sessionId, manufacturerIds }: OpenedSession): RecordChoiceInput {
    const rank = Math.floor(this.#random() ** 2 * manufacturerIds.length);
    return {
      sessionId,
      chosenManufacturerId: this.#random() < WALK_AWAY_RATE ? null : (manufacturerIds[rank] as string),
      satisfaction: 1 + this.#integerBelow(5),
      decisionTimeSeconds: 30 + this.#integerBelow(600),
    };
  }

  interaction({ sessionId, manufacturerIds }: OpenedSession): RecordInteractionInput {
    return {
      sessionId,
      manufacturerId: this.#pick(manufacturerIds),
      interactionType: this.#pick(INTERACTION_TYPES),
      timeSpentSeconds: this.#integerBelow(300),
    };
  }

  /** What the matching engine asks: a segment's weights, named in the query string. */
  weightsRequest(): { segment: Segment } {
    return { segment: this.#pick(SEGMENTS) };
  }

  #integerBelow(bound: number): number {
    return Math.floor(this.#random() * bound);
  }

  #pick<Item>(items: readonly Item[]): Item {
    return items[this.#integerBelow(items.length)] as Item;
  }
}
