import { auditLog, replayLearning } from '@matchloop/api';
import { Command } from 'commander';
import { learningOptionsFrom } from '../config';
import { withDatabase } from './database';
import { operator } from './operator';
import { startProgressBar } from './progress';

export const replayCommand = new Command('replay')
  .description('Rebuild all learned state from the choice log (the same log always gives the same state)')
  .action(() =>
    withDatabase(async (database, config) => {
      let progress: ReturnType<typeof startProgressBar> | undefined;
      const result = await replayLearning(database, learningOptionsFrom(config), (folded, total) => {
        progress ??= startProgressBar('Replaying choices', total);
        progress.update(folded);
      });
      progress?.stop();
      await auditLog(database).record({
        actor: operator(),
        action: 'learning.replayed',
        details: { choices: result.choices, digest: result.digest },
      });
      console.log(`Replayed ${result.choices} choices from the log.`);
      console.log(`Learned state digest (SHA-256): ${result.digest}`);
    }),
  );
