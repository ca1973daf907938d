import { DataDirectoryInUseError } from '@matchloop/db';
import { Command } from 'commander';
import { auditCommand } from './commands/audit';
import { evaluateCommand } from './commands/evaluate';
import { importCommand } from './commands/import';
import { keysCommand } from './commands/keys';
import { migrateCommand } from './commands/migrate';
import { replayCommand } from './commands/replay';
import { serveCommand } from './commands/serve';
import { simulateCommand } from './commands/simulate';
import { UserInputError } from './user-input-error';
import { VERSION } from './version';

const program = new Command('matchloop')
  .description('Matchloop: learns from customer choices how to rank manufacturers')
  .version(VERSION)
  .showHelpAfterError()
  .addCommand(serveCommand, { isDefault: true })
  .addCommand(migrateCommand)
  .addCommand(keysCommand)
  .addCommand(auditCommand)
  .addCommand(replayCommand)
  .addCommand(importCommand)
  .addCommand(evaluateCommand)
  .addCommand(simulateCommand);

try {
  await program.parseAsync();
} catch (error) {
  // Mistakes a person can fix get one plain sentence, not a stack trace.
  if (error instanceof UserInputError || error instanceof DataDirectoryInUseError) {
    console.error(`matchloop: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
