import { FACTORS, SEGMENTS, type Segment } from '@matchloop/schemas';
import { createOnlineWorkspace, type OnlinePosterior } from './choice-model/online';
import { assertValidSpec, type ChoiceModelSpec, parameterCount } from './choice-model/specification';
import type { LearnerState, ScopeState } from './learner';

/**
 * The learner as plain JSON, for storage and replay checks. Objects are always built with the same keys in
 * the same order and segments follow `SEGMENTS`, so `JSON.stringify` of a snapshot is canonical: two folds
 * of the same log give byte-identical text. JSON keeps every finite double exactly (shortest round-trip
 * form), so a restored learner continues exactly where the stored one stopped.
 */
export const LEARNER_SNAPSHOT_FORMAT = 1;

export interface ScopeSnapshot {
  readonly sampleSize: number;
  readonly mean: number[];
  /** Row-major D×D. */
  readonly precision: number[];
  readonly priorMean: number[];
  readonly priorPrecision: number[];
  readonly statements: number;
  /** In `FACTORS` order. */
  readonly mentions: number[];
}

export interface LearnerSnapshot {
  readonly format: typeof LEARNER_SNAPSHOT_FORMAT;
  readonly spec: ChoiceModelSpec;
  readonly events: number;
  readonly global: ScopeSnapshot;
  readonly segments: Partial<Record<Segment, ScopeSnapshot>>;
}

export function toSnapshot(state: LearnerState): LearnerSnapshot {
  const segments: Partial<Record<Segment, ScopeSnapshot>> = {};
  for (const segment of SEGMENTS) {
    const scope = state.segments[segment];
    if (scope !== undefined) segments[segment] = toScopeSnapshot(scope);
  }
  const { factorCount, positionLevels, noneOption } = state.spec;
  return {
    format: LEARNER_SNAPSHOT_FORMAT,
    spec: { factorCount, positionLevels, noneOption },
    events: state.events,
    global: toScopeSnapshot(state.global),
    segments,
  };
}

/** Restores a learner from a snapshot, checking shapes so that a corrupt row fails loudly, not silently. */
export function fromSnapshot(snapshot: LearnerSnapshot): LearnerState {
  if (snapshot.format !== LEARNER_SNAPSHOT_FORMAT) {
    throw new Error(`unsupported learner snapshot format ${String(snapshot.format)}`);
  }
  const spec: ChoiceModelSpec = {
    factorCount: snapshot.spec.factorCount,
    positionLevels: snapshot.spec.positionLevels,
    noneOption: snapshot.spec.noneOption,
  };
  assertValidSpec(spec);
  if (spec.factorCount !== FACTORS.length) {
    throw new Error(`learner snapshot has ${spec.factorCount} factors, expected ${FACTORS.length}`);
  }
  const segments: Partial<Record<Segment, ScopeState>> = {};
  for (const segment of SEGMENTS) {
    const scope = snapshot.segments[segment];
    if (scope !== undefined) segments[segment] = fromScopeSnapshot(scope, spec, segment);
  }
  return {
    spec,
    global: fromScopeSnapshot(snapshot.global, spec, 'global'),
    segments,
    events: snapshot.events,
    workspace: createOnlineWorkspace(spec),
  };
}

/** The canonical text form: equal states give equal strings. */
export function serializeLearner(state: LearnerState): string {
  return JSON.stringify(toSnapshot(state));
}

export function deserializeLearner(text: string): LearnerState {
  return fromSnapshot(JSON.parse(text) as LearnerSnapshot);
}

function toScopeSnapshot({ posterior, stated }: ScopeState): ScopeSnapshot {
  return {
    sampleSize: posterior.sampleSize,
    mean: Array.from(posterior.mean),
    precision: Array.from(posterior.precision),
    priorMean: Array.from(posterior.priorMean),
    priorPrecision: Array.from(posterior.priorPrecision),
    statements: stated.statements,
    mentions: Array.from(stated.mentions),
  };
}

function fromScopeSnapshot(scope: ScopeSnapshot, spec: ChoiceModelSpec, name: string): ScopeState {
  const dimension = parameterCount(spec);
  const vector = (field: keyof ScopeSnapshot, length: number): Float64Array => {
    const values = scope[field];
    if (!Array.isArray(values) || values.length !== length || !values.every(Number.isFinite)) {
      throw new Error(`learner snapshot scope ${name}: ${field} must be ${length} finite numbers`);
    }
    return Float64Array.from(values);
  };
  const posterior: OnlinePosterior = {
    mean: vector('mean', dimension),
    precision: vector('precision', dimension * dimension),
    priorMean: vector('priorMean', dimension),
    priorPrecision: vector('priorPrecision', dimension),
    sampleSize: scope.sampleSize,
  };
  return {
    posterior,
    stated: { statements: scope.statements, mentions: vector('mentions', FACTORS.length) },
  };
}
