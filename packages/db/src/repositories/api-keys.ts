import type { ApiKeyScope } from '@matchloop/schemas';
import type { ApiKey, Prisma, PrismaClient } from '../generated/prisma/client';

export type StoredApiKey = ApiKey;

export function insertApiKey(
  prisma: PrismaClient | Prisma.TransactionClient,
  key: { name: string; scopes: ApiKeyScope[]; secretHash: string; prefix: string; customerId: string | null },
): Promise<StoredApiKey> {
  return prisma.apiKey.create({ data: key });
}

/** The unrevoked keys that begin with this prefix: the only candidates a presented secret can match. */
export function findActiveApiKeysByPrefix(prisma: PrismaClient, prefix: string): Promise<StoredApiKey[]> {
  return prisma.apiKey.findMany({ where: { prefix, revokedAt: null } });
}

export function findApiKeyByHash(prisma: PrismaClient, secretHash: string): Promise<StoredApiKey | null> {
  return prisma.apiKey.findUnique({ where: { secretHash } });
}

/** A key as operators see it: everything but the secret's hash, which listing does not even read. */
export type StoredApiKeySummary = Omit<StoredApiKey, 'secretHash'>;

const SUMMARY = {
  id: true,
  name: true,
  scopes: true,
  prefix: true,
  customerId: true,
  createdAt: true,
  revokedAt: true,
} as const satisfies Record<keyof StoredApiKeySummary, true>;

export function listApiKeys(prisma: PrismaClient): Promise<StoredApiKeySummary[]> {
  return prisma.apiKey.findMany({ select: SUMMARY, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/** The keys with this id, or with this shown prefix (which, unlike the id, two keys may share). */
export function findApiKeySummaries(
  prisma: PrismaClient,
  where: { id: string } | { prefix: string },
): Promise<StoredApiKeySummary[]> {
  return prisma.apiKey.findMany({ where, select: SUMMARY });
}

/**
 * Revokes the key unless it already is, so that its revocation time stays when it was first revoked, and
 * returns it as it now stands.
 */
export async function revokeApiKey(
  prisma: PrismaClient | Prisma.TransactionClient,
  id: string,
  at: Date,
): Promise<{ revokedNow: boolean; key: StoredApiKeySummary }> {
  const { count } = await prisma.apiKey.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: at },
  });
  const key = await prisma.apiKey.findUniqueOrThrow({ where: { id }, select: SUMMARY });
  return { revokedNow: count === 1, key };
}
