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
  /**
   * Who holds the key the request presents: undefined if it presents none, null if the key is unknown or
   * revoked. Checked when a procedure first needs it, and once per HTTP request however many calls it batches.
   */
  keyHolder(): Promise<Principal | null | undefined>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key in an `Authorization: Bearer <key>` header, read the same way wherever a key counts. */
export function bearerSecret(authorization: string | undefined): string | undefined {
  return authorization?.match(BEARER)?.[1];
}

export function createContextFactory(services: Services) {
  return ({ authorization }: { authorization: string | undefined }): Context => {
    const secret = bearerSecret(authorization);
    let holder: Promise<Principal | null> | undefined;
    return {
      services,
      keyHolder() {
        if (secret === undefined) return Promise.resolve(undefined);
        holder ??= services.apiKeys.authenticate(secret);
        return holder;
      },
    };
  };
}
