import { apiKeyService } from '@matchloop/api';
import { openDatabase, targetFromEnv } from '@matchloop/db';
import type { ApiKeyScope } from '@matchloop/schemas';
import type { Config } from '../config';

export async function createKey(config: Config, { name, scopes }: { name: string; scopes: ApiKeyScope[] }) {
  const database = await openDatabase(targetFromEnv(config));
  try {
    await database.migrate();
    const created = await apiKeyService(database).create({ name, scopes });
    console.log(`Created API key "${created.name}" with scope ${created.scopes.join(', ')}.`);
    console.log('Keep it now: it is shown only once.\n');
    console.log(created.key);
  } finally {
    await database.close();
  }
}
