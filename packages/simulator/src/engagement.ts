import {
  type Candidate,
  type Complexity,
  FACTORS,
  type Factor,
  type Preferences,
  type RecordChoiceInput,
  type RecordInteractionInput,
} from '@matchloop/schemas';
import type { ChoiceBehaviour, Decision } from './choice';
import type { Customer } from './customers';
import type { Random } from './random';
import type { PlannedSession } from './sessions';

/** What the frontend records about one shown option; the driver adds the session id. */
export type SessionInteraction = Omit<RecordInteractionInput, 'sessionId'>;
/** What the frontend records as the session's outcome; the driver adds the session id. */
export type SessionOutcome = Omit<RecordChoiceInput, 'sessionId'>;

export interface Engagement {
  /** In the order they happen: views top-down, then expansions, comparisons, and the contact. */
  readonly interactions: readonly SessionInteraction[];
  readonly outcome: SessionOutcome;
}

/** Options within this much utility of the best one are taken seriously: opened and compared. */
const SHORTLIST_UTILITY_GAP = 2;
const SHORTLIST_SIZE = 3;

/** Reading one option's summary, in seconds, for a simple project; harder projects take longer. */
const SECONDS_PER_VIEW = 20;
/** Typical time from seeing the list to deciding, in seconds. */
const DECISION_SECONDS: Readonly<Record<Complexity, number>> = {
  simple: 15 * 60,
  moderate: 60 * 60,
  complex: 4 * 60 * 60,
  highly_complex: 24 * 60 * 60,
};
const READING_EFFORT: Readonly<Record<Complexity, number>> = {
  simple: 1,
  moderate: 1.5,
  complex: 2.5,
  highly_complex: 4,
};

/** The explanation section a customer opens to check a factor they care about. */
const FACTOR_SECTIONS: Readonly<Record<Factor, string>> = {
  cost: 'pricing',
  quality: 'quality',
  speed: 'lead-time',
  proximity: 'location',
  capability: 'capabilities',
  reliability: 'certifications',
};

/** The factor each stated preference speaks for, when a customer names what mattered. */
const STATED_FACTORS: Readonly<Record<keyof Preferences, Factor>> = {
  budgetSensitivity: 'cost',
  urgency: 'speed',
  qualityRequirement: 'quality',
  localPreference: 'proximity',
};
/** A stated preference at least this strong is named as an important factor. */
const NAMED_PREFERENCE = 0.6;

/**
 * How the customer goes through the ranked list, consistent with their decision: they read from the top at
 * least down to the option they take, open and compare the options that come close to the best, contact the
 * one they choose, and rate it by how much better it is to them than walking away.
 */
export function engage(
  session: PlannedSession,
  shown: readonly Candidate[],
  decision: Decision,
  behaviour: ChoiceBehaviour,
): Engagement {
  const { random, customer, project } = session;
  const effort = READING_EFFORT[project.complexity];
  const readingDepth = Math.min(
    shown.length,
    Math.max((decision.chosenIndex ?? -1) + 1, 3 + random.index(4)),
  );
  const read = shown.slice(0, readingDepth).map((option, index) => ({ option, index }));
  const bestUtility = Math.max(...read.map(({ index }) => decision.utilities[index] as number));
  const shortlist = read
    .filter(({ index }) => (decision.utilities[index] as number) >= bestUtility - SHORTLIST_UTILITY_GAP)
    .sort((a, b) => (decision.utilities[b.index] as number) - (decision.utilities[a.index] as number))
    .slice(0, SHORTLIST_SIZE);
  const sections = customerTopFactors(customer, 2).map((factor) => FACTOR_SECTIONS[factor]);
  const surplus = (index: number) => (decision.values[index] as number) - behaviour.noneUtility;

  const interactions: SessionInteraction[] = [
    ...read.map(({ option }) => ({
      manufacturerId: option.manufacturerId,
      interactionType: 'viewed' as const,
      timeSpentSeconds: seconds(random, SECONDS_PER_VIEW * effort),
      viewedExplanationLevel: 'summary' as const,
    })),
    ...shortlist.map(({ option, index }) => ({
      manufacturerId: option.manufacturerId,
      interactionType: 'expanded' as const,
      timeSpentSeconds: seconds(random, 3 * SECONDS_PER_VIEW * effort),
      viewedExplanationLevel: 'factors' as const,
      expandedSections: sections,
      helpfulRating: rating(random, surplus(index)),
    })),
    ...(shortlist.length < 2 ? [] : shortlist).map(({ option }) => ({
      manufacturerId: option.manufacturerId,
      interactionType: 'compared' as const,
      timeSpentSeconds: seconds(random, 5 * SECONDS_PER_VIEW * effort),
      viewedExplanationLevel: 'full' as const,
    })),
  ];
  const chosen = decision.chosenIndex === null ? undefined : shown[decision.chosenIndex];
  if (chosen !== undefined) {
    interactions.push({
      manufacturerId: chosen.manufacturerId,
      interactionType: 'contacted',
      timeSpentSeconds: seconds(random, 6 * SECONDS_PER_VIEW * effort),
    });
  }
  const decisionTimeSeconds = Math.round(
    seconds(random, DECISION_SECONDS[project.complexity]) * (0.7 + 0.1 * readingDepth),
  );
  return {
    interactions,
    outcome: {
      chosenManufacturerId: chosen?.manufacturerId ?? null,
      importantFactors: namedFactors(customer),
      decisionTimeSeconds,
      ...(decision.chosenIndex === null
        ? {}
        : { satisfaction: rating(random, surplus(decision.chosenIndex)) }),
    },
  };
}

/** A duration around `typical` seconds, right-skewed as real dwell times are. */
function seconds(random: Random, typical: number): number {
  return Math.round(typical * random.logNormal(0.5));
}

/**
 * A 1–5 rating from the utility an option offers above walking away: an offer just worth taking gets a 3,
 * every 3 units of utility (a weighted score 0.15 better at λ = 20) one star more, give or take one.
 */
function rating(random: Random, surplus: number): number {
  return Math.min(5, Math.max(1, Math.round(3 + surplus / 3 + random.normal(0, 0.6))));
}

function customerTopFactors(customer: Customer, count: number): Factor[] {
  return [...FACTORS].sort((a, b) => customer.trueWeights[b] - customer.trueWeights[a]).slice(0, count);
}

/**
 * What the customer says mattered: the factors behind their strong stated preferences, or, having stated
 * none, the one factor they care most about. Said, not revealed: Matchloop tallies it beside what it learns.
 */
function namedFactors(customer: Customer): Factor[] {
  const named = (Object.entries(STATED_FACTORS) as [keyof Preferences, Factor][])
    .filter(([preference]) => (customer.preferences[preference] ?? 0) >= NAMED_PREFERENCE)
    .map(([, factor]) => factor);
  return named.length > 0 ? named : customerTopFactors(customer, 1);
}
