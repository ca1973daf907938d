import { randomBytes } from 'node:crypto';
import { apiKeyService, type LearningOptions } from '@matchloop/api';
import type { DatabaseTarget } from '@matchloop/db';
import { createTestDatabase, type TestDatabaseKind } from '@matchloop/db/testing';
import type { ApiKeyScope } from '@matchloop/schemas';
import { createMatchloopClient, type MatchloopClient } from '@matchloop/sdk';
import { type RunningMatchloop, startMatchloop } from '../app';
import type { ProtectionOptions } from '../http/protection';
import { createLogger } from '../logger';

export interface TestServer {
  readonly url: string;
  readonly adminKey: string;
  readonly matchloop: RunningMatchloop;
  /** An SDK client, as the admin unless another key is given. */
  client(apiKey?: string): MatchloopClient;
  /** A new API key holding exactly these scopes, for one customer only if one is given. */
  createKey(scopes: ApiKeyScope[], customerId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real Matchloop server on a free port of 127.0.0.1, on a fresh database of the given kind (or on a
 * given target, to restart on the same data), with the production limits and learning configuration
 * unless others are given.
 */
export async function startTestServer(
  database: TestDatabaseKind | { target: DatabaseTarget; adminKey: string },
  protection: Partial<ProtectionOptions> = {},
  learning?: LearningOptions,
): Promise<TestServer> {
  const fresh = typeof database === 'string' ? await createTestDatabase(database) : undefined;
  const target = fresh?.target ?? (database as { target: DatabaseTarget }).target;
  const adminKey =
    typeof database === 'string' ? `mlk_test_${randomBytes(24).toString('base64url')}` : database.adminKey;
  const matchloop = await startMatchloop({
    database: target,
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('silent'),
    bootstrapAdminKey: adminKey,
    protection,
    ...(learning && { learning }),
  });
  return {
    url: matchloop.url,
    adminKey,
    matchloop,
    client: (apiKey = adminKey) => createMatchloopClient({ url: matchloop.url, apiKey }),
    async createKey(scopes, customerId) {
      const created = await apiKeyService(matchloop.database).create(
        { name: `test ${scopes.join('+')}`, scopes, customerId: customerId ?? null },
        'test set-up',
      );
      return created.key;
    },
    async close() {
      await matchloop.close();
      await fresh?.drop();
    },
  };
}
