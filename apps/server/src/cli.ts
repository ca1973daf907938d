import { DataDirectoryInUseError } from '@matchloop/db';
import { API_KEY_SCOPES, type ApiKeyScope, apiKeyScopeSchema } from '@matchloop/schemas';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createKey } from './commands/keys';
import { migrate } from './commands/migrate';
import { serve } from './commands/serve';
import { loadConfig } from './config';
import { VERSION } from './version';

function parseScopes(value: string, previous: ApiKeyScope[] = []): ApiKeyScope[] {
  const scopes = value.split(',').map((scope) => apiKeyScopeSchema.safeParse(scope.trim()));
  const invalid = scopes.find((scope) => !scope.success);
  if (invalid) throw new InvalidArgumentError(`Scopes are ${API_KEY_SCOPES.join(', ')}.`);
  return [...new Set([...previous, ...scopes.map((scope) => scope.data as ApiKeyScope)])];
}

const program = new Command('matchloop')
  .description('Matchloop: learns from customer choices how to rank manufacturers')
  .version(VERSION)
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description(
    'Run the HTTP server (PORT, DATABASE_URL or MATCHLOOP_DATA_DIR, MATCHLOOP_BOOTSTRAP_ADMIN_KEY)',
  )
  .action(() => serve(loadConfig()));

program
  .command('migrate')
  .description('Apply pending database migrations (the server also does this at start)')
  .action(() => migrate(loadConfig()));

const keys = program.command('keys').description('Manage API keys');
keys
  .command('create')
  .description('Create an API key and print it once')
  .requiredOption('--name <name>', 'who or what the key is for')
  .addOption(
    new Option(
      '--scope <scopes>',
      `one or more of ${API_KEY_SCOPES.join(', ')} (comma-separated or repeated)`,
    )
      .argParser(parseScopes)
      .makeOptionMandatory(),
  )
  .action((options: { name: string; scope: ApiKeyScope[] }) =>
    createKey(loadConfig(), { name: options.name, scopes: options.scope }),
  );

try {
  await program.parseAsync();
} catch (error) {
  if (
    error instanceof DataDirectoryInUseError ||
    (error instanceof Error && error.message.startsWith('Invalid configuration'))
  ) {
    console.error(`matchloop: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
