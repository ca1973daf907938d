import { apiKeyService } from '@matchloop/api';
import { API_KEY_SCOPES, type ApiKeyScope, apiKeyScopeSchema } from '@matchloop/schemas';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatTable } from '../text-table';
import { UserInputError } from '../user-input-error';
import { withDatabase } from './database';
import { operator } from './operator';

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
  .option(
    '--customer <customerId>',
    'restrict the key to one customer: it may start and record sessions for that customer only',
  )
  .action(({ name, scope, customer }: { name: string; scope: ApiKeyScope[]; customer?: string }) =>
    withDatabase(async (database) => {
      const created = await apiKeyService(database).create(
        { name, scopes: scope, customerId: customer ?? null },
        operator(),
      );
      console.log(
        `Created API key "${created.name}" with scope ${created.scopes.join(', ')}` +
          (created.customerId === null ? '.' : `, for customer ${created.customerId} only.`),
      );
      console.log('Keep it now: it is shown only once.\n');
      console.log(created.key);
    }),
  );

const listKeysCommand = new Command('list')
  .description('List every API key, revoked ones too, without their secrets')
  .action(() =>
    withDatabase(async (database) => {
      const keys = await apiKeyService(database).list();
      if (keys.length === 0) {
        console.log('There are no API keys yet: create one with `matchloop keys create`.');
        return;
      }
      const rows = keys.map((key) => [
        key.id,
        key.name,
        key.scopes.join(','),
        key.prefix,
        key.customerId ?? '(any)',
        key.createdAt.toISOString(),
        key.revokedAt?.toISOString() ?? '-',
      ]);
      console.log(
        formatTable(
          [['id', 'name', 'scopes', 'prefix', 'customer', 'created', 'revoked'], ...rows],
          () => false,
        ),
      );
    }),
  );

const revokeKeyCommand = new Command('revoke')
  .description('Revoke an API key: it is refused from the next request on')
  .argument('<key>', 'the id or the prefix that `matchloop keys list` shows')
  .action((reference: string) =>
    withDatabase(async (database) => {
      const revocation = await apiKeyService(database).revoke(reference, operator());
      if (revocation.outcome === 'not_found')
        throw new UserInputError(
          `no API key has the id or prefix "${reference}" (see \`matchloop keys list\`).`,
        );
      if (revocation.outcome === 'ambiguous')
        throw new UserInputError(
          `${revocation.matches} API keys have the prefix "${reference}": give the id.`,
        );
      const { key } = revocation;
      console.log(
        revocation.outcome === 'revoked'
          ? `Revoked API key "${key.name}" (${key.prefix}…): servers refuse it from now on.`
          : `API key "${key.name}" (${key.prefix}…) was already revoked, at ${key.revokedAt?.toISOString()}.`,
      );
    }),
  );

export const keysCommand = new Command('keys')
  .description('Manage API keys')
  .addCommand(createKeyCommand)
  .addCommand(listKeysCommand)
  .addCommand(revokeKeyCommand);
