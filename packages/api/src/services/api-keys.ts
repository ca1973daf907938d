import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@matchloop/db';
import {
  findActiveApiKeyByHash,
  findApiKeyByHash,
  findApiKeySummaries,
  insertApiKey,
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
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

async function authenticate(database: Database, secret: string): Promise<Principal | null> {
  const key = await findActiveApiKeyByHash(database.prisma, hashSecret(secret));
  return key && { keyId: key.id, name: key.name, scopes: key.scopes };
}

async function createApiKey(
  database: Database,
  { name, scopes }: { name: string; scopes: ApiKeyScope[] },
): Promise<CreatedApiKey> {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const key = await insertApiKey(database.prisma, {
    name,
    scopes,
    secretHash: hashSecret(secret),
    prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
  });
  return { id: key.id, name: key.name, scopes: key.scopes, key: secret };
}

async function ensureApiKey(
  database: Database,
  { secret, name, scopes }: { secret: string; name: string; scopes: ApiKeyScope[] },
): Promise<boolean> {
  const secretHash = hashSecret(secret);
  if (await findApiKeyByHash(database.prisma, secretHash)) return false;
  try {
    await insertApiKey(database.prisma, {
      name,
      scopes,
      secretHash,
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
    });
    return true;
  } catch (error) {
    // Several servers starting at once against one PostgreSQL all try to create it; one wins.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

async function revoke(database: Database, idOrPrefix: string): Promise<ApiKeyRevocation> {
  // Only a UUID may be compared with the id column; anything else can only be a prefix.
  const where = z.guid().safeParse(idOrPrefix).success ? { id: idOrPrefix } : { prefix: idOrPrefix };
  const matches = await findApiKeySummaries(database.prisma, where);
  const [match] = matches;
  if (!match) return { outcome: 'not_found' };
  if (matches.length > 1) return { outcome: 'ambiguous', matches: matches.length };
  const { revokedNow, key } = await revokeApiKey(database.prisma, match.id, new Date());
  return { outcome: revokedNow ? 'revoked' : 'already_revoked', key };
}

/** API key management needs only the database, so the CLI can manage keys without loading the learner. */
export function apiKeyService(database: Database): Services['apiKeys'] {
  return {
    authenticate: (secret) => authenticate(database, secret),
    create: (input) => createApiKey(database, input),
    ensure: (input) => ensureApiKey(database, input),
    list: () => listApiKeys(database.prisma),
    revoke: (idOrPrefix) => revoke(database, idOrPrefix),
  };
}
