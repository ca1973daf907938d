import {
  type AlertOptions,
  DEFAULT_WEBHOOK_RETRY,
  type LearningOptions,
  learningOptions,
} from '@matchloop/api';
import { DEFAULT_DATA_DIR } from '@matchloop/db';
import { DEFAULT_ALERT_THRESHOLDS, DEFAULT_LEARNING_CONFIG, type InsightOptions } from '@matchloop/learning';
import { z } from 'zod';
import { DEFAULT_PROTECTION, type ProtectionOptions } from './http/protection';
import { UserInputError } from './user-input-error';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `500ms`, `60s`, `15m`, `24h` or `7d`, read as milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'must be a number followed by ms, s, m, h or d, e.g. 7d')
  .transform((text) => {
    const [, amount, unit] = /^([\d.]+)(ms|s|m|h|d)$/.exec(text) as RegExpExecArray;
    return Number(amount) * (DURATION_UNITS[unit as string] as number);
  })
  .refine((milliseconds) => milliseconds > 0, 'must be longer than zero');

/** A browser origin as it sends it: scheme, host and port only, e.g. `https://app.example.com`. */
const origin = z
  .url({ protocol: /^https?$/ })
  .refine((text) => new URL(text).origin === text, 'must be an origin such as https://app.example.com');

/** A proxy's address, a range of them, or a name for one of the private ranges. */
const proxyAddresses = z.union(
  [z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])],
  { error: 'must be an IP address, a CIDR range such as 10.0.0.0/8, loopback, linklocal or uniquelocal' },
);

/** A comma-separated list, each item read by `item`. */
const commaSeparated = <Item extends z.ZodType<string, string>>(item: Item) =>
  z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()))
    .pipe(z.array(item));

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  MATCHLOOP_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  MATCHLOOP_BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MATCHLOOP_CUSTOMER_CHOICE_CAP: z
    .union([z.literal('off').transform(() => null), z.coerce.number().int().min(1)])
    .default(DEFAULT_LEARNING_CONFIG.customerChoiceCap),
  MATCHLOOP_ALERT_WINDOW: duration.prefault('7d'),
  MATCHLOOP_ALERT_INTERVAL: duration.prefault('60s'),
  MATCHLOOP_ALERT_MIN_SAMPLE: z.coerce.number().int().min(1).default(DEFAULT_ALERT_THRESHOLDS.minSample),
  MATCHLOOP_ALERT_MIN_CONVERSION: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_ALERT_THRESHOLDS.minConversionRate),
  MATCHLOOP_ALERT_MAX_CHOSEN_RANK: z.coerce
    .number()
    .min(1)
    .default(DEFAULT_ALERT_THRESHOLDS.maxAverageChosenRank),
  MATCHLOOP_ALERT_MIN_CONFIDENCE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_ALERT_THRESHOLDS.minLearningConfidence),
  MATCHLOOP_ALERT_LOW_CONFIDENCE_PERIOD: duration.prefault('7d'),
  MATCHLOOP_ALERT_MIN_SATISFACTION: z.coerce
    .number()
    .min(1)
    .max(5)
    .default(DEFAULT_ALERT_THRESHOLDS.minSatisfaction),
  MATCHLOOP_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  MATCHLOOP_INSIGHT_MIN_SAMPLE: z.coerce.number().int().min(1).default(30),
  MATCHLOOP_BODY_LIMIT: z.coerce.number().int().min(1).default(DEFAULT_PROTECTION.bodyLimitBytes),
  MATCHLOOP_REQUEST_TIMEOUT: duration.prefault('30s'),
  MATCHLOOP_RATE_LIMIT: z.coerce.number().int().min(1).default(DEFAULT_PROTECTION.rateLimit),
  MATCHLOOP_RATE_LIMIT_WINDOW: duration.prefault('1m'),
  MATCHLOOP_CORS_ORIGINS: commaSeparated(origin).default([]),
  MATCHLOOP_TRUSTED_PROXIES: commaSeparated(proxyAddresses).default([]),
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

/**
 * What the configuration says about learning. The server, `replay` and `import` must all read it, or a
 * replay would rebuild a different state than the servers hold.
 */
export function learningOptionsFrom(config: Config): LearningOptions {
  return learningOptions({
    config: { ...DEFAULT_LEARNING_CONFIG, customerChoiceCap: config.MATCHLOOP_CUSTOMER_CHOICE_CAP },
  });
}

/** What the configuration says about alerting and insights, in the services' terms. */
export function monitoringOptions(config: Config): {
  alerts: AlertOptions;
  insights: Partial<InsightOptions>;
} {
  const alerts: AlertOptions = {
    thresholds: {
      minConversionRate: config.MATCHLOOP_ALERT_MIN_CONVERSION,
      maxAverageChosenRank: config.MATCHLOOP_ALERT_MAX_CHOSEN_RANK,
      minLearningConfidence: config.MATCHLOOP_ALERT_MIN_CONFIDENCE,
      lowConfidencePeriodMs: config.MATCHLOOP_ALERT_LOW_CONFIDENCE_PERIOD,
      minSatisfaction: config.MATCHLOOP_ALERT_MIN_SATISFACTION,
      minSample: config.MATCHLOOP_ALERT_MIN_SAMPLE,
    },
    windowMs: config.MATCHLOOP_ALERT_WINDOW,
    intervalMs: config.MATCHLOOP_ALERT_INTERVAL,
    webhook: config.MATCHLOOP_ALERT_WEBHOOK_URL
      ? { url: config.MATCHLOOP_ALERT_WEBHOOK_URL, ...DEFAULT_WEBHOOK_RETRY }
      : null,
  };
  // Insights speak of the same targets as the alerts.
  const insights: Partial<InsightOptions> = {
    minSample: config.MATCHLOOP_INSIGHT_MIN_SAMPLE,
    targetConversionRate: alerts.thresholds.minConversionRate,
    maxAverageChosenRank: alerts.thresholds.maxAverageChosenRank,
  };
  return { alerts, insights };
}

/** What the configuration says about the limits and headers that protect the HTTP server. */
export function protectionOptions(config: Config): ProtectionOptions {
  return {
    bodyLimitBytes: config.MATCHLOOP_BODY_LIMIT,
    requestTimeoutMs: config.MATCHLOOP_REQUEST_TIMEOUT,
    rateLimit: config.MATCHLOOP_RATE_LIMIT,
    rateLimitWindowMs: config.MATCHLOOP_RATE_LIMIT_WINDOW,
    corsOrigins: config.MATCHLOOP_CORS_ORIGINS,
    trustedProxies: config.MATCHLOOP_TRUSTED_PROXIES,
  };
}
