import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '@matchloop/schemas';
import type { ServiceLogger } from './contract';

export interface WebhookOptions {
  readonly url: string;
  /** Deliveries tried per notification, the first included. */
  readonly attempts: number;
  /** Wait before the first retry; each further retry waits twice as long as the one before. */
  readonly firstRetryDelayMs: number;
  /** Each attempt is abandoned after this long. */
  readonly timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY = { attempts: 5, firstRetryDelayMs: 1000, timeoutMs: 5000 } as const;

/** The JSON body POSTed to the webhook. */
export interface AlertNotification {
  readonly event: 'alert.raised' | 'alert.resolved';
  readonly alert: Alert;
}

/**
 * POSTs one notification, retrying with exponential backoff on network errors, timeouts, 408, 429 and 5xx.
 * Any other answer is final: the receiver understood and refused, and asking again will not change that.
 * Never throws; true when the receiver accepted it. `signal` abandons the delivery (on shutdown).
 */
export async function deliverNotification(
  notification: AlertNotification,
  options: WebhookOptions,
  logger: ServiceLogger,
  signal?: AbortSignal,
): Promise<boolean> {
  const body = JSON.stringify(notification);
  const context = { url: options.url, event: notification.event, alertId: notification.alert.id };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    let failure: string;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await response.body?.cancel();
      if (response.ok) return true;
      failure = `HTTP ${response.status}`;
      if (!isWorthRetrying(response.status)) {
        logger.error({ ...context, attempt, failure }, 'alert webhook refused the notification');
        return false;
      }
    } catch (error) {
      if (signal?.aborted) break;
      failure = error instanceof Error ? error.message : String(error);
    }
    if (attempt === options.attempts) {
      logger.error({ ...context, attempts: attempt, failure }, 'alert webhook failed; giving up');
      return false;
    }
    const delayMs = options.firstRetryDelayMs * 2 ** (attempt - 1);
    logger.warn({ ...context, attempt, failure, retryInMs: delayMs }, 'alert webhook failed; retrying');
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      break;
    }
  }
  logger.warn(context, 'alert webhook delivery abandoned at shutdown');
  return false;
}

function isWorthRetrying(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Sends notifications in the background, so that raising an alert never waits on the receiver, and keeps
 * track of deliveries in flight so that shutting down can end them.
 */
export class WebhookNotifier {
  private readonly inFlight = new Set<Promise<boolean>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly options: WebhookOptions | null,
    private readonly logger: ServiceLogger,
  ) {}

  notify(notification: AlertNotification): void {
    if (!this.options) return;
    const delivery = deliverNotification(notification, this.options, this.logger, this.shutdown.signal);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Waits for every delivery in flight to end, delivered or given up. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** Abandons the deliveries still retrying. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await this.settled();
  }
}
