import {
  confidenceHistory,
  firingAlerts,
  listAlerts,
  outcomeBreakdown,
  raiseAlert,
  resolveAlert,
} from '@matchloop/db';
import {
  type AlertReading,
  type AlertThresholds,
  DEFAULT_ALERT_THRESHOLDS,
  readAlertRules,
  type SegmentLearning,
  type WindowOutcome,
} from '@matchloop/learning';
import { type Alert, type AlertsInput, type AlertsOutput, SEGMENTS } from '@matchloop/schemas';
import type { ServiceDependencies } from '.';
import { WebhookNotifier, type WebhookOptions } from './alerts-webhook';
import type { ServiceLogger } from './contract';
import { ScheduledTask } from './scheduled-task';

export interface AlertOptions {
  readonly thresholds: AlertThresholds;
  /** The outcome rules judge the sessions started within this long before the evaluation. */
  readonly windowMs: number;
  /** How often a running server evaluates the rules (analytics queries evaluate them too). */
  readonly intervalMs: number;
  /** Where raised and resolved alerts are POSTed; null for nowhere. */
  readonly webhook: WebhookOptions | null;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  thresholds: DEFAULT_ALERT_THRESHOLDS,
  windowMs: 7 * 86_400_000,
  intervalMs: 60_000,
  webhook: null,
};

/**
 * Keeps the stored alerts in step with the figures: raises an alert once when its rule is breached and
 * resolves it once when the figure recovers, notifying the webhook of both.
 *
 * Several servers may evaluate at the same moment; the store settles every race (one firing alert per rule
 * and segment, and only a firing alert can be resolved), and only the server whose write won notifies, so
 * each raise and each resolution is announced once.
 */
export class AlertMonitor {
  private readonly evaluation: ScheduledTask<Alert[]>;
  private readonly notifier: WebhookNotifier;

  constructor(
    private readonly deps: ServiceDependencies,
    private readonly options: AlertOptions,
    private readonly logger: ServiceLogger,
  ) {
    this.notifier = new WebhookNotifier(options.webhook, logger);
    this.evaluation = new ScheduledTask(
      () =>
        this.raiseAndResolve(new Date()).catch(async (error: unknown) => {
          this.logger.error({ err: error }, 'alert evaluation failed');
          return firingAlerts(this.deps.database.prisma);
        }),
      options.intervalMs,
    );
  }

  /**
   * Evaluates the rules and returns the alerts firing afterwards. Calls made while an evaluation runs share
   * it. Should evaluation fail, the failure is logged and the alerts stored as firing are returned, so that
   * analytics never fails because of alerting.
   */
  evaluate(): Promise<Alert[]> {
    return this.evaluation.run();
  }

  list(input: AlertsInput): Promise<AlertsOutput> {
    return listAlerts(this.deps.database.prisma, input).then((alerts) => ({ alerts }));
  }

  /** Evaluates every `intervalMs` until stopped; the timer does not keep the process alive. */
  start(): void {
    this.evaluation.start();
  }

  /** Stops evaluating, lets a running evaluation finish and abandons webhook retries still waiting. */
  async stop(): Promise<void> {
    await this.evaluation.stop();
    await this.notifier.close();
  }

  /** Resolves once every webhook delivery started so far has ended (for tests and orderly shutdowns). */
  deliveriesSettled(): Promise<void> {
    return this.notifier.settled();
  }

  private async raiseAndResolve(now: Date): Promise<Alert[]> {
    const { prisma } = this.deps.database;
    const readings = readAlertRules(
      await this.windowOutcomes(now),
      await this.segmentLearning(now),
      now,
      this.options.windowMs,
      this.options.thresholds,
    );
    const firing = new Map((await firingAlerts(prisma)).map((alert) => [scopeKey(alert), alert]));
    for (const reading of readings) {
      const current = firing.get(scopeKey(reading));
      if (reading.breached && !current) {
        const raised = await raiseAlert(prisma, toNewAlert(reading), now);
        if (raised) this.announce('alert.raised', raised);
      } else if (!reading.breached && current) {
        const resolved = await resolveAlert(prisma, current.id, reading.value, now);
        if (resolved) this.announce('alert.resolved', resolved);
      }
    }
    return firingAlerts(prisma);
  }

  private announce(event: 'alert.raised' | 'alert.resolved', alert: Alert): void {
    this.logger.info({ alert }, event === 'alert.raised' ? 'alert raised' : 'alert resolved');
    this.notifier.notify({ event, alert });
  }

  private async windowOutcomes(now: Date): Promise<WindowOutcome[]> {
    const from = new Date(now.getTime() - this.options.windowMs);
    const breakdown = await outcomeBreakdown(this.deps.database.prisma, { from });
    return [
      { segment: null, ...breakdown.overall },
      ...[...breakdown.bySegment].map(([segment, figures]) => ({ ...figures, segment })),
    ];
  }

  /**
   * Each segment's confidence from the learner, and for a segment whose confidence is low, since when:
   * the last choice within the period that left it confident, else the start of the period or the
   * segment's first choice, whichever is later. Only the period needs reading, since the rule only asks
   * whether confidence has been low for all of it.
   */
  private async segmentLearning(now: Date): Promise<SegmentLearning[]> {
    const { learning, database } = this.deps;
    const { minLearningConfidence, lowConfidencePeriodMs } = this.options.thresholds;
    await learning.refresh(database.prisma);
    const served = SEGMENTS.map((segment) => learning.serve(segment));
    const low = served.filter((weights) => weights.confidence < minLearningConfidence).map((w) => w.segment);
    const periodStart = new Date(now.getTime() - lowConfidencePeriodMs);
    const history = await confidenceHistory(database.prisma, low, minLearningConfidence, periodStart);
    return served.map(({ segment, confidence, sampleSize }) => {
      const { firstChoiceAt = null, lastConfidentAt = null } = history.get(segment) ?? {};
      const lowConfidenceSince =
        lastConfidentAt ?? (firstChoiceAt && firstChoiceAt > periodStart ? firstChoiceAt : periodStart);
      return {
        segment,
        confidence,
        sampleSize,
        lowConfidenceSince: low.includes(segment) ? lowConfidenceSince : null,
      };
    });
  }
}

function scopeKey({ rule, segment }: { rule: string; segment: string | null }): string {
  return `${rule}:${segment ?? ''}`;
}

function toNewAlert({ rule, segment, value, threshold, sampleSize, message }: AlertReading) {
  return { rule, segment, value, threshold, sampleSize, message };
}
