import { DataDirectoryInUseError } from '@matchloop/db';
import { Command } from 'commander';
import { evaluateCommand } from './commands/evaluate';
import { keysCommand } from './commands/keys';
import { migrateCommand } from './commands/migrate';
import { serveCommand } from './commands/serve';
import { ConfigurationError } from './config';
import { VERSION } from './version';

const program = new Command('matchloop')
  .description('Matchloop: learns from customer choices how to rank manufacturers')
  .version(VERSION)
  .showHelpAfterError()
  .addCommand(serveCommand, { isDefault: true })
  .addCommand(migrateCommand)
  .addCommand(keysCommand)
  .addCommand(evaluateCommand);

try {
  await program.parseAsync();
} catch (error) {
  // Mistakes a person can fix get one plain sentence, not a stack trace.
  if (error instanceof DataDirectoryInUseError || error instanceof ConfigurationError) {
    console.error(`matchloop: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
