import { describeTarget, targetFromEnv } from '@matchloop/db';
import { Command } from 'commander';
import { startMatchloop } from '../app';
import { learningOptionsFrom, loadConfig, monitoringOptions, protectionOptions } from '../config';
import { createLogger } from '../logger';

export const serveCommand = new Command('serve')
  .description(
    'Run the HTTP server (PORT, DATABASE_URL or MATCHLOOP_DATA_DIR, MATCHLOOP_BOOTSTRAP_ADMIN_KEY)',
  )
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL);
    const database = targetFromEnv(config);
    const matchloop = await startMatchloop({
      database,
      port: config.PORT,
      host: config.HOST,
      logger,
      bootstrapAdminKey: config.MATCHLOOP_BOOTSTRAP_ADMIN_KEY,
      learning: learningOptionsFrom(config),
      ...monitoringOptions(config),
      protection: protectionOptions(config),
    });
    logger.info(`Matchloop is listening on ${matchloop.url}, storing data in ${describeTarget(database)}`);
    logger.info(
      `API: ${matchloop.url}/trpc · REST: ${matchloop.url}/feedback-learning/… · ${matchloop.url}/openapi.json`,
    );
    if (!config.MATCHLOOP_BOOTSTRAP_ADMIN_KEY) {
      logger.info(
        'To get an API key: stop the server and run `pnpm matchloop keys create --scope admin --name me`, ' +
          'or start it with MATCHLOOP_BOOTSTRAP_ADMIN_KEY=<a secret of 24+ characters>',
      );
    }

    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await matchloop.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
