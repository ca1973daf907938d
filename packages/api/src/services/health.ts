import type { HealthOutput } from '@matchloop/schemas';
import { TRPCError } from '@trpc/server';
import type { ServiceDependencies } from '.';

export async function health({ database, version, startedAt }: ServiceDependencies): Promise<HealthOutput> {
  const started = performance.now();
  try {
    await database.prisma.$queryRaw`SELECT 1`;
  } catch {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database does not answer' });
  }
  return {
    status: 'ok',
    version,
    uptimeSeconds: (Date.now() - startedAt.getTime()) / 1000,
    database: {
      kind: database.target.kind === 'postgres' ? 'postgres' : 'pglite',
      latencyMs: performance.now() - started,
    },
  };
}
