import { apiKeyService } from '@matchloop/api';
import { openDatabase, targetFromEnv } from '@matchloop/db';
import { API_KEY_SCOPES, type ApiKeyScope, apiKeyScopeSchema } from '@matchloop/schemas';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config';

function parseScopes(value: string, previous: ApiKeyScope[] = []): ApiKeyScope[] {
  const scopes = value.split(',').map((scope) => apiKeyScopeSchema.safeParse(scope.trim()));
  if (scopes.some((scope) => !scope.success))
    throw new InvalidArgumentError(`Scopes are ${API_KEY_SCOPES.join(', ')}.`);
  return [...new Set([...previous, ...scopes.flatMap((scope) => (scope.success ? [scope.data] : []))])];
}

const createKeyCommand = new Command('create')
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
  .action(async ({ name, scope }: { name: string; scope: ApiKeyScope[] }) => {
    const database = await openDatabase(targetFromEnv(loadConfig()));
    try {
      await database.migrate();
      const created = await apiKeyService(database).create({ name, scopes: scope });
      console.log(`Created API key "${created.name}" with scope ${created.scopes.join(', ')}.`);
      console.log('Keep it now: it is shown only once.\n');
      console.log(created.key);
    } finally {
      await database.close();
    }
  });

export const keysCommand = new Command('keys').description('Manage API keys').addCommand(createKeyCommand);
