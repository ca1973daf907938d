import type { ApiKeyScope } from '@matchloop/schemas';
import type { Services } from './services/contract';

/** The caller, once their API key has been checked. */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The one customer this key acts for (a per-customer frontend key), or null for every customer. */
  readonly customerId: string | null;
}

export interface Context {
  readonly services: Services;
  /** The raw `Authorization` header; checked only by procedures that need a key. */
  readonly authorization: string | undefined;
}

export function createContextFactory(services: Services) {
  return ({ authorization }: { authorization: string | undefined }): Context => ({ services, authorization });
}
