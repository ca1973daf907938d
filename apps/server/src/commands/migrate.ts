import { openDatabase, targetFromEnv } from '@matchloop/db';
import { Command } from 'commander';
import { loadConfig } from '../config';

export const migrateCommand = new Command('migrate')
  .description('Apply pending database migrations (the server also does this at start)')
  .action(async () => {
    const database = await openDatabase(targetFromEnv(loadConfig()));
    try {
      const applied = await database.migrate();
      console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } finally {
      await database.close();
    }
  });
