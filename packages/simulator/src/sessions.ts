import {
  type Candidate,
  COMPLEXITY_LEVELS,
  type Complexity,
  type FactorScores,
  type StartSessionRequest,
} from '@matchloop/schemas';
import type { TasteShocks } from './choice';
import type { Customer } from './customers';
import { proximity } from './geography';
import type { Manufacturer } from './manufacturers';
import { type Market, STREAMS } from './market';
import { clampUnit, Random } from './random';
import { SEGMENT_PROFILES } from './segment-profiles';

export type Project = Required<NonNullable<StartSessionRequest['project']>>;

/** Everything about one recommendation session that does not depend on how Matchloop ranks it. */
export interface PlannedSession {
  readonly customer: Customer;
  readonly project: Project;
  /** The matching service's proposals, in its own (arbitrary) order. */
  readonly candidates: readonly Candidate[];
  readonly shocks: TasteShocks;
  /** The session's own stream for what the customer does next (browsing, rating). */
  readonly random: Random;
}

/** Below this technical fit a shop cannot take the job, so the matching service never proposes it. */
const MINIMUM_TECHNICAL_FIT = 0.3;

/**
 * The index-th session of the market: a returning customer from the population with a new project. Each
 * session draws from its own stream, so it is the same whatever happened in the sessions before it.
 */
export function planMarketSession(market: Market, index: number): PlannedSession {
  const random = Random.seeded(market.seed).fork(STREAMS.sessions).fork(index);
  const customer = market.customers[random.index(market.customers.length)] as Customer;
  return planSession(market, customer, random);
}

/** A new project of `customer`, the manufacturers proposed for it, and the customer's taste shocks. */
export function planSession(market: Market, customer: Customer, random: Random): PlannedSession {
  const project = drawProject(random, customer);
  const able = market.manufacturers.filter(
    (manufacturer) => technicalFit(manufacturer, project) >= MINIMUM_TECHNICAL_FIT,
  );
  const candidates = random.sample(able, market.config.optionsPerSession).map((manufacturer) => ({
    manufacturerId: manufacturer.id,
    factors: quote(random, manufacturer, customer, project),
  }));
  const shocks: TasteShocks = {
    options: new Map(candidates.map((candidate) => [candidate.manufacturerId, random.gumbel()])),
    none: random.gumbel(),
  };
  return { customer, project, candidates, shocks, random };
}

/** Complexity levels split the complexity score into equal bands, simple = [0, 0.25) and so on. */
function drawProject(random: Random, customer: Customer): Project {
  const complexity: Complexity = random.pickWeighted(SEGMENT_PROFILES[customer.segment].complexityMix);
  const band = COMPLEXITY_LEVELS.indexOf(complexity);
  return { complexity, complexityScore: (band + random.next()) / COMPLEXITY_LEVELS.length };
}

/**
 * How well a shop's sophistication matches the project: falling steeply when the job is beyond it, and
 * gently when the shop is overqualified (a simple job gets less attention in a precision shop).
 */
function technicalFit(manufacturer: Manufacturer, project: Project): number {
  const shortfall = Math.max(0, project.complexityScore - manufacturer.capabilityLevel);
  const surplus = Math.max(0, manufacturer.capabilityLevel - project.complexityScore);
  return clampUnit(1 - 1.6 * shortfall - 0.6 * surplus);
}

/**
 * The factor scores of one manufacturer for one project. Price, lead time and how closely the proposal meets
 * the specification vary from quote to quote; quality, track record and location belong to the shop.
 */
function quote(
  random: Random,
  manufacturer: Manufacturer,
  customer: Customer,
  project: Project,
): FactorScores {
  return {
    cost: clampUnit(manufacturer.costEfficiency + random.normal(0, 0.08)),
    quality: manufacturer.quality,
    speed: clampUnit(manufacturer.availability + random.normal(0, 0.1)),
    proximity: proximity(customer.location, manufacturer.location),
    capability: clampUnit(technicalFit(manufacturer, project) + random.normal(0, 0.12)),
    reliability: manufacturer.reliability,
  };
}
