import { type AlertOptions, type LearningOptions, openServices, type Services } from '@matchloop/api';
import { type Database, type DatabaseTarget, openDatabase } from '@matchloop/db';
import type { InsightOptions } from '@matchloop/learning';
import { DEFAULT_PROTECTION, type ProtectionOptions } from './http/protection';
import { createHttpServer } from './http/server';
import type { Logger } from './logger';
import { VERSION } from './version';

export interface MatchloopOptions {
  database: DatabaseTarget;
  port: number;
  host: string;
  logger: Logger;
  /** Created as an admin key at start if no key with this secret exists yet. */
  bootstrapAdminKey?: string | undefined;
  /** The learner's configuration and checkpoint interval; the defaults where not given. */
  learning?: LearningOptions;
  /** Alerting thresholds, window, schedule and webhook; the product brief's defaults where not given. */
  alerts?: Partial<AlertOptions>;
  insights?: Partial<InsightOptions>;
  /** Body limit, request timeout, rate limit and CORS origins; the defaults where not given. */
  protection?: Partial<ProtectionOptions>;
}

export interface RunningMatchloop {
  /** Where it listens, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly http: Awaited<ReturnType<typeof createHttpServer>>;
  readonly database: Database;
  readonly services: Services;
  close(): Promise<void>;
}

/** Opens the database, brings its schema up to date, and serves HTTP until closed. */
export async function startMatchloop(options: MatchloopOptions): Promise<RunningMatchloop> {
  const { logger } = options;
  const database = await openDatabase(options.database);
  try {
    const applied = await database.migrate();
    if (applied.length > 0) logger.info({ migrations: applied }, 'database schema updated');
    const services = await openServices(database, {
      version: VERSION,
      logger,
      ...(options.learning && { learning: options.learning }),
      ...(options.alerts && { alerts: options.alerts }),
      ...(options.insights && { insights: options.insights }),
    });
    if (options.bootstrapAdminKey) {
      const created = await services.apiKeys.ensure(
        { secret: options.bootstrapAdminKey, name: 'bootstrap admin', scopes: ['admin'] },
        'server start-up (MATCHLOOP_BOOTSTRAP_ADMIN_KEY)',
      );
      if (created) logger.info('bootstrap admin key created from MATCHLOOP_BOOTSTRAP_ADMIN_KEY');
    }
    const http = await createHttpServer({
      services,
      logger,
      protection: { ...DEFAULT_PROTECTION, ...options.protection },
    });
    await http.listen({ port: options.port, host: options.host });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
    services.alertMonitor.start();
    services.rollupFolder.start();
    return {
      url: `http://${shownHost}:${port}`,
      http,
      database,
      services,
      async close() {
        await http.close();
        await services.alertMonitor.stop();
        await services.rollupFolder.stop();
        await services.checkpoints.stored();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
