import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChangeFeed, Database, StoredApiKey } from '@matchloop/db';
import {
  findActiveApiKeysByPrefix,
  findApiKeyByHash,
  findApiKeySummaries,
  insertApiKey,
  insertAuditEvent,
  isUniqueViolation,
  listApiKeys,
  revokeApiKey,
} from '@matchloop/db';
import type { ApiKeyScope } from '@matchloop/schemas';
import { z } from 'zod';
import type { Principal } from '../context';
import type { ApiKeyRevocation, CreatedApiKey, Services } from './contract';

const KEY_PREFIX = 'mlk_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** Keys are random 256-bit secrets, so one unsalted SHA-256 is enough to make the stored hash useless. */
function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

function shownPrefix(secret: string): string {
  return secret.slice(0, SHOWN_PREFIX_LENGTH);
}

/**
 * The active keys by shown prefix, so that a request's key is checked without asking the database. Kept
 * only while the change feed is live, which announces every key created or revoked by any process; a
 * prefix no key has is never remembered, so guesses cannot fill memory.
 */
class ActiveKeyCache {
  private readonly byPrefix = new Map<string, StoredApiKey[]>();
  /** Counts announcements, so that a lookup that raced one does not store what it read before it. */
  private changes = 0;

  constructor(private readonly feed: ChangeFeed) {
    feed.subscribe({
      apiKeyChanged: (prefix) => {
        this.byPrefix.delete(prefix);
        this.changes += 1;
      },
      resynced: () => {
        this.byPrefix.clear();
        this.changes += 1;
      },
    });
  }

  async candidates(prefix: string, load: () => Promise<StoredApiKey[]>): Promise<StoredApiKey[]> {
    if (!this.feed.live) return load();
    const cached = this.byPrefix.get(prefix);
    if (cached) return cached;
    const changesBefore = this.changes;
    const loaded = await load();
    if (loaded.length > 0 && this.changes === changesBefore && this.feed.live)
      this.byPrefix.set(prefix, loaded);
    return loaded;
  }
}

/**
 * Finds the key by its public prefix and compares hashes in constant time, so how long a refusal takes
 * says nothing about how close a guess came. Every candidate is compared, even after a match.
 */
async function authenticate(
  database: Database,
  cache: ActiveKeyCache | undefined,
  secret: string,
): Promise<Principal | null> {
  const presented = hashSecret(secret);
  const prefix = shownPrefix(secret);
  const load = () => findActiveApiKeysByPrefix(database.prisma, prefix);
  let match: Principal | null = null;
  for (const key of cache ? await cache.candidates(prefix, load) : await load()) {
    if (timingSafeEqual(Buffer.from(key.secretHash, 'hex'), presented)) {
      match = { keyId: key.id, name: key.name, scopes: key.scopes, customerId: key.customerId };
    }
  }
  return match;
}

interface NewApiKey {
  name: string;
  scopes: ApiKeyScope[];
  customerId: string | null;
  secretHash: string;
  prefix: string;
}

/** Stores the key and its audit record together: neither exists without the other. */
function insertAuditedApiKey(database: Database, key: NewApiKey, actor: string) {
  return database.prisma.$transaction(async (tx) => {
    const inserted = await insertApiKey(tx, key);
    const { name, scopes, prefix, customerId } = key;
    await insertAuditEvent(tx, {
      actor,
      action: 'api_key.created',
      target: inserted.id,
      details: { name, scopes, prefix, customerId },
    });
    return inserted;
  });
}

async function createApiKey(
  database: Database,
  { name, scopes, customerId = null }: { name: string; scopes: ApiKeyScope[]; customerId?: string | null },
  actor: string,
): Promise<CreatedApiKey> {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const key = await insertAuditedApiKey(
    database,
    { name, scopes, customerId, secretHash: hashSecret(secret).toString('hex'), prefix: shownPrefix(secret) },
    actor,
  );
  return { id: key.id, name: key.name, scopes: key.scopes, customerId: key.customerId, key: secret };
}

async function ensureApiKey(
  database: Database,
  { secret, name, scopes }: { secret: string; name: string; scopes: ApiKeyScope[] },
  actor: string,
): Promise<boolean> {
  const secretHash = hashSecret(secret).toString('hex');
  if (await findApiKeyByHash(database.prisma, secretHash)) return false;
  try {
    await insertAuditedApiKey(
      database,
      { name, scopes, customerId: null, secretHash, prefix: shownPrefix(secret) },
      actor,
    );
    return true;
  } catch (error) {
    // Several servers starting at once against one PostgreSQL all try to create it; one wins.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

async function revoke(database: Database, idOrPrefix: string, actor: string): Promise<ApiKeyRevocation> {
  // Only a UUID may be compared with the id column; anything else can only be a prefix.
  const where = z.guid().safeParse(idOrPrefix).success ? { id: idOrPrefix } : { prefix: idOrPrefix };
  const matches = await findApiKeySummaries(database.prisma, where);
  const [match] = matches;
  if (!match) return { outcome: 'not_found' };
  if (matches.length > 1) return { outcome: 'ambiguous', matches: matches.length };
  const { revokedNow, key } = await database.prisma.$transaction(async (tx) => {
    const revocation = await revokeApiKey(tx, match.id, new Date());
    if (revocation.revokedNow) {
      await insertAuditEvent(tx, {
        actor,
        action: 'api_key.revoked',
        target: match.id,
        details: { name: match.name, prefix: match.prefix },
      });
    }
    return revocation;
  });
  return { outcome: revokedNow ? 'revoked' : 'already_revoked', key };
}

/**
 * API key management needs only the database, so the CLI can manage keys without loading the learner. A
 * server passes its change feed, so that checking a request's key needs no query.
 */
export function apiKeyService(database: Database, changes?: ChangeFeed): Services['apiKeys'] {
  const cache = changes && new ActiveKeyCache(changes);
  return {
    authenticate: (secret) => authenticate(database, cache, secret),
    create: (input, actor) => createApiKey(database, input, actor),
    ensure: (input, actor) => ensureApiKey(database, input, actor),
    list: () => listApiKeys(database.prisma),
    revoke: (idOrPrefix, actor) => revoke(database, idOrPrefix, actor),
  };
}
