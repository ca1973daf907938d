import { type Database, openDatabase, targetFromEnv } from '@matchloop/db';
import { type Config, loadConfig } from '../config';

/**
 * Runs a command's work on the configured database, brought up to date first so that commands work on a
 * new one too, and closes it however the work ends.
 */
export async function withDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(targetFromEnv(config));
  try {
    await database.migrate();
    return await work(database, config);
  } finally {
    await database.close();
  }
}
