import { openDatabase, targetFromEnv } from '@matchloop/db';
import type { Config } from '../config';

export async function migrate(config: Config): Promise<void> {
  const database = await openDatabase(targetFromEnv(config));
  try {
    const applied = await database.migrate();
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
}
