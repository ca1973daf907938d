import { auditLog, HistoryImportError, importChoiceHistory } from '@matchloop/api';
import { Command } from 'commander';
import { learningOptionsFrom } from '../config';
import { UserInputError } from '../user-input-error';
import { readChoiceCsvFile } from './choice-csv-file';
import { withDatabase } from './database';
import { operator } from './operator';
import { startProgressBar } from './progress';

export const importCommand = new Command('import')
  .description('Load past sessions and choices from a CSV to warm-start learning (safe to repeat)')
  .requiredOption(
    '--input <file>',
    'session_id,customer_id,manufacturer_id,rank,chosen,cost,quality,speed,proximity,capability,reliability',
  )
  .action(({ input }: { input: string }) => {
    const csv = readChoiceCsvFile(input);
    return withDatabase(async (database, config) => {
      let progress: ReturnType<typeof startProgressBar> | undefined;
      const result = await importChoiceHistory(
        database,
        csv,
        { source: input, learning: learningOptionsFrom(config) },
        (imported, total) => {
          progress ??= startProgressBar('Importing sessions', total);
          progress.update(imported);
        },
      ).catch((error: unknown) => {
        throw error instanceof HistoryImportError ? new UserInputError(`${input}: ${error.message}`) : error;
      });
      progress?.stop();
      await auditLog(database).record({
        actor: operator(),
        action: 'history.imported',
        target: input,
        details: {
          sessions: result.sessions,
          choices: result.choices,
          alreadyImported: result.alreadyImported,
        },
      });
      console.log(
        `Imported ${result.sessions} sessions (${result.choices} with a manufacturer chosen, ` +
          `${result.sessions - result.choices} with none)` +
          (result.alreadyImported > 0 ? `; ${result.alreadyImported} were already imported.` : '.'),
      );
    });
  });
