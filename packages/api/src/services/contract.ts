import type {
  Alert,
  AlertsInput,
  AlertsOutput,
  AnalyticsInput,
  AnalyticsOutput,
  ApiKeyScope,
  HealthOutput,
  RecordChoiceInput,
  RecordChoiceOutput,
  RecordInteractionInput,
  RecordInteractionOutput,
  RecordInteractionsInput,
  RecordInteractionsOutput,
  StartSessionOutput,
  StartSessionRequest,
  WeightsInput,
  WeightsOutput,
} from '@matchloop/schemas';
import type { Principal } from '../context';

/**
 * What the procedures can ask of the service. Declared in terms of the contract only, so the router's
 * type, which the SDK publishes, carries no storage types.
 */
export interface Services {
  readonly feedback: {
    startSession(input: StartSessionRequest): Promise<StartSessionOutput>;
    /** `actingFor`: the one customer whose sessions the caller may touch, or null for any customer. */
    recordChoice(input: RecordChoiceInput, actingFor: string | null): Promise<RecordChoiceOutput>;
    recordInteraction(
      input: RecordInteractionInput,
      actingFor: string | null,
    ): Promise<RecordInteractionOutput>;
    /** Each interaction as recordInteraction would record or refuse it, answered in order. */
    recordInteractions(
      input: RecordInteractionsInput,
      actingFor: string | null,
    ): Promise<RecordInteractionsOutput>;
    analytics(input: AnalyticsInput): Promise<AnalyticsOutput>;
    weights(input: WeightsInput): Promise<WeightsOutput>;
    health(): Promise<HealthOutput>;
    alerts(input: AlertsInput): Promise<AlertsOutput>;
  };
  readonly apiKeys: {
    authenticate(secret: string): Promise<Principal | null>;
    /** `customerId` restricts the key to that one customer's sessions. Audited as done by `actor`. */
    create(
      input: { name: string; scopes: ApiKeyScope[]; customerId?: string | null },
      actor: string,
    ): Promise<CreatedApiKey>;
    /** Makes sure a key with this exact secret exists (for MATCHLOOP_BOOTSTRAP_ADMIN_KEY); true if it was created. */
    ensure(input: { secret: string; name: string; scopes: ApiKeyScope[] }, actor: string): Promise<boolean>;
    /** Every key, oldest first, without its secret. */
    list(): Promise<ApiKeySummary[]>;
    /** Revokes the key with this id or shown prefix; it is refused from the next request on. Audited. */
    revoke(idOrPrefix: string, actor: string): Promise<ApiKeyRevocation>;
  };
  /** Prometheus metrics: the procedures record into them, the host serves them at /metrics. */
  readonly metrics: {
    /** One answered procedure, over tRPC or REST; `outcome` is `ok` or the error code. */
    observeProcedure(procedure: string, seconds: number, outcome: string): void;
    /** Every metric in Prometheus' text format, current as of the call. */
    exposition(): Promise<{ contentType: string; body: string }>;
  };
  /** Alert evaluation, which the host runs on a schedule; analytics queries also evaluate. */
  readonly alertMonitor: {
    /** Raises and resolves alerts as the figures now say; returns those firing afterwards. */
    evaluate(): Promise<Alert[]>;
    start(): void;
    stop(): Promise<void>;
    /** Resolves once every webhook delivery started so far has ended. */
    deliveriesSettled(): Promise<void>;
  };
  /** Folding the outcome rollups' finished days, which the host runs on a schedule. */
  readonly rollupFolder: {
    start(): void;
    stop(): Promise<void>;
  };
  /** The learner's checkpoints, stored in the background once the choices they follow are answered. */
  readonly checkpoints: {
    /** Resolves once every checkpoint taken so far is stored, or reported as not stored. */
    stored(): Promise<void>;
  };
}

/** The part of a pino logger the services report to about work done outside any request. */
export interface ServiceLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly customerId: string | null;
  /** The secret itself: shown once, never stored. */
  readonly key: string;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The secret's first characters, so operators can tell keys apart. */
  readonly prefix: string;
  /** The one customer the key acts for, or null for every customer. */
  readonly customerId: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export type ApiKeyRevocation =
  | { readonly outcome: 'revoked' | 'already_revoked'; readonly key: ApiKeySummary }
  | { readonly outcome: 'not_found' }
  /** Two keys can share a shown prefix (a bootstrap key's secret is chosen by a person): the id is needed. */
  | { readonly outcome: 'ambiguous'; readonly matches: number };
