import { auditLog } from '@matchloop/api';
import { Command, InvalidArgumentError } from 'commander';
import { formatTable } from '../text-table';
import { withDatabase } from './database';

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError('It must be a whole number ≥ 1.');
  return limit;
}

export const auditCommand = new Command('audit')
  .description('Show what operators did: API keys created and revoked, history imported, learning replayed')
  .option('--limit <n>', 'how many of the newest events to show', parseLimit, 50)
  .option('--json', 'one JSON object per line instead of a table')
  .action(({ limit, json }: { limit: number; json?: boolean }) =>
    withDatabase(async (database) => {
      const events = await auditLog(database).list(limit);
      if (json) {
        for (const event of events) console.log(JSON.stringify(event));
        return;
      }
      if (events.length === 0) {
        console.log('Nothing has been audited yet.');
        return;
      }
      const rows = events.map((event) => [
        event.at.toISOString(),
        event.actor,
        event.action,
        event.target ?? '-',
        JSON.stringify(event.details),
      ]);
      console.log(formatTable([['at', 'actor', 'action', 'target', 'details'], ...rows], () => false));
    }),
  );
