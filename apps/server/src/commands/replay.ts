import { replayLearning } from '@matchloop/api';
import { openDatabase, targetFromEnv } from '@matchloop/db';
import { Command } from 'commander';
import { learningOptionsFrom, loadConfig } from '../config';
import { startProgressBar } from './progress';

export const replayCommand = new Command('replay')
  .description('Rebuild all learned state from the choice log (the same log always gives the same state)')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase(targetFromEnv(config));
    try {
      await database.migrate();
      let progress: ReturnType<typeof startProgressBar> | undefined;
      const result = await replayLearning(database, learningOptionsFrom(config), (folded, total) => {
        progress ??= startProgressBar('Replaying choices', total);
        progress.update(folded);
      });
      progress?.stop();
      console.log(`Replayed ${result.choices} choices from the log.`);
      console.log(`Learned state digest (SHA-256): ${result.digest}`);
    } finally {
      await database.close();
    }
  });
