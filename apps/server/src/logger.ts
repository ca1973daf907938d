import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs for machines; readable lines when a person is watching a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && !process.env.CI;
  return pino({
    level,
    base: { service: 'matchloop' },
    redact: ['req.headers.authorization'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } } : {}),
  });
}
