import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionRequest } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/test-server';

/** The value of one sample in Prometheus' text format, or undefined when it is absent. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = exposition
    .split('\n')
    .find(
      (candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Prometheus metrics at /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(() => server?.close());

  it('counts requests per procedure and outcome, events by type, and reads learning and alerts', async () => {
    const matchloop = server.client();
    const session = await matchloop.feedbackLearning.startSession.mutate(sessionRequest());
    const top = session.recommendations[0]?.manufacturerId ?? '';
    await matchloop.feedbackLearning.recordInteraction.mutate({
      sessionId: session.sessionId,
      manufacturerId: top,
      interactionType: 'compared',
    });
    await matchloop.feedbackLearning.recordChoice.mutate({
      sessionId: session.sessionId,
      chosenManufacturerId: top,
    });
    // A retry stores nothing new, and bad input is counted under its error code.
    await matchloop.feedbackLearning.recordChoice.mutate({
      sessionId: session.sessionId,
      chosenManufacturerId: top,
    });
    await fetch(`${server.url}/feedback-learning/start-session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: '{"customerId": 42}',
    });
    // So is a call refused for its key, before any input is read.
    await fetch(`${server.url}/feedback-learning/start-session`, {
      method: 'POST',
      headers: { authorization: 'Bearer mlk_unknown', 'content-type': 'application/json' },
      body: JSON.stringify(sessionRequest()),
    });

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = await response.text();

    const requests = (procedure: string, outcome: string) =>
      sample(metrics, 'matchloop_procedure_duration_seconds_count', { procedure, outcome });
    expect(requests('feedbackLearning.startSession', 'ok')).toBe(1);
    expect(requests('feedbackLearning.recordChoice', 'ok')).toBe(2);
    expect(requests('feedbackLearning.startSession', 'BAD_REQUEST')).toBe(1);
    expect(requests('feedbackLearning.startSession', 'UNAUTHORIZED')).toBe(1);

    const events = (type: string) => sample(metrics, 'matchloop_events_ingested_total', { type });
    expect(events('session')).toBe(1);
    expect(events('choice')).toBe(1);
    expect(events('interaction_compared')).toBe(1);

    expect(sample(metrics, 'matchloop_segment_learning_sample_size', { segment: 'price_sensitive' })).toBe(1);
    expect(sample(metrics, 'matchloop_segment_conversion_rate', { segment: 'price_sensitive' })).toBe(1);
    expect(sample(metrics, 'matchloop_segment_learning_confidence', { segment: 'balanced' })).toBe(0);
    expect(sample(metrics, 'matchloop_alerts_firing', { rule: 'low_conversion' })).toBe(0);
  });
});
