import { DEFAULT_DATA_DIR } from '@matchloop/db';
import { z } from 'zod';
import { UserInputError } from './user-input-error';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  MATCHLOOP_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  MATCHLOOP_BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Reads the environment once, failing with every problem named rather than at first use. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=` in an env file) means "not set", not "set to nothing".
  const setVariables = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(setVariables);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new UserInputError(`invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
