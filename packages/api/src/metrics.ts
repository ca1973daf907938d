import { firingAlerts, outcomeBreakdown } from '@matchloop/db';
import { ALERT_RULES, SEGMENTS } from '@matchloop/schemas';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceDependencies } from './services';
import type { Services } from './services/contract';

/**
 * The service's Prometheus metrics. Each server gets its own registry (not prom-client's global one), so
 * several servers in one process — tests, mostly — never mix their figures.
 */
export function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'matchloop' });
  return {
    registry,
    procedureDuration: new Histogram({
      name: 'matchloop_procedure_duration_seconds',
      help: 'Time to answer a procedure, over tRPC or REST, by procedure and outcome',
      labelNames: ['procedure', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'matchloop_events_ingested_total',
      help: 'Sessions, choices and interactions stored, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    segmentConversion: new Gauge({
      name: 'matchloop_segment_conversion_rate',
      help: 'Share of the segment’s sessions of the last 24 hours in which a manufacturer was chosen',
      labelNames: ['segment'] as const,
      registers: [registry],
    }),
    segmentConfidence: new Gauge({
      name: 'matchloop_segment_learning_confidence',
      help: 'Confidence in the segment’s learned weights, 0 to 1',
      labelNames: ['segment'] as const,
      registers: [registry],
    }),
    segmentSampleSize: new Gauge({
      name: 'matchloop_segment_learning_sample_size',
      help: 'Choices the segment’s learned weights rest on',
      labelNames: ['segment'] as const,
      registers: [registry],
    }),
    alertsFiring: new Gauge({
      name: 'matchloop_alerts_firing',
      help: 'Alerts firing now, by rule',
      labelNames: ['rule'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const CONVERSION_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What the host exposes at /metrics. Counters and latencies are recorded as requests happen; the
 * per-segment and alert gauges are read fresh at each scrape, so they hold whatever every server sharing
 * the database has recorded.
 */
export function metricsService(deps: ServiceDependencies): Services['metrics'] {
  const { metrics, database, learning } = deps;
  return {
    observeProcedure(procedure, seconds, outcome) {
      metrics.procedureDuration.observe({ procedure, outcome }, seconds);
    },
    async exposition() {
      await learning.refresh(database.prisma);
      const [recent, firing] = await Promise.all([
        outcomeBreakdown(database.prisma, { from: new Date(Date.now() - CONVERSION_WINDOW_MS) }),
        firingAlerts(database.prisma),
      ]);
      for (const segment of SEGMENTS) {
        const { confidence, sampleSize } = learning.serve(segment);
        metrics.segmentConfidence.set({ segment }, confidence);
        metrics.segmentSampleSize.set({ segment }, sampleSize);
        const conversion = recent.bySegment.get(segment)?.conversionRate;
        if (conversion === null || conversion === undefined) metrics.segmentConversion.remove({ segment });
        else metrics.segmentConversion.set({ segment }, conversion);
      }
      for (const rule of ALERT_RULES) {
        metrics.alertsFiring.set({ rule }, firing.filter((alert) => alert.rule === rule).length);
      }
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };
}
