import type { ApiKeyScope } from '@matchloop/schemas';
import type { ApiKey, PrismaClient } from '../generated/prisma/client';

export type StoredApiKey = ApiKey;

export function insertApiKey(
  prisma: PrismaClient,
  key: { name: string; scopes: ApiKeyScope[]; secretHash: string; prefix: string },
): Promise<StoredApiKey> {
  return prisma.apiKey.create({ data: key });
}

export function findActiveApiKeyByHash(
  prisma: PrismaClient,
  secretHash: string,
): Promise<StoredApiKey | null> {
  return prisma.apiKey.findFirst({ where: { secretHash, revokedAt: null } });
}

export function findApiKeyByHash(prisma: PrismaClient, secretHash: string): Promise<StoredApiKey | null> {
  return prisma.apiKey.findUnique({ where: { secretHash } });
}
