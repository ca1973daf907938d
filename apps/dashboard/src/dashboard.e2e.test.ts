import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyticsOutput, WeightsOutput } from '@matchloop/sdk';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../../packages/simulator/src/index';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { interactionsPerSessionTotal, type OutcomeFigures } from './model/figures';
import { analyticsInputFor, type DashboardFilters, DEFAULT_FILTERS } from './model/filters';
import { formatAverage, formatCount, formatDuration, formatPercent, formatRate } from './model/format';
import { SEGMENTS } from './model/labels';

/** Debian's Chromium: CI installs it with apt, as does anyone running this test. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const DIST_INDEX = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.html');
/** Outside the repository, so that a test run leaves nothing to commit. */
const SCREENSHOT_PATH = join(tmpdir(), 'matchloop-dashboard-e2e', 'dashboard.png');

const SIMULATED_SESSIONS = 320;
/** How long the page may take to show what is expected: a query, a render, and some slack for a busy CI machine. */
const POLL = { timeout: 15_000, interval: 100 };
/** The simulated sessions are spread over this many days, ending today. */
const SIMULATED_DAYS = 28;

/** What the KPI cards must show for a set of figures: the API's numbers, formatted as the dashboard formats them. */
function expectedKpis(figures: OutcomeFigures): Record<string, string> {
  return {
    'kpi-sessions': formatCount(figures.sessions),
    'kpi-conversion-rate': formatPercent(figures.conversionRate),
    'kpi-average-chosen-rank': formatAverage(figures.averageChosenRank),
    'kpi-average-satisfaction': formatAverage(figures.averageSatisfaction),
    'kpi-average-decision-time': formatDuration(figures.averageDecisionTimeSeconds),
    'kpi-average-helpful-rating': formatAverage(figures.averageHelpfulRating),
    'kpi-interactions-per-session': formatRate(interactionsPerSessionTotal(figures.interactionsPerSession)),
  };
}

async function shownKpis(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-testid^="kpi-"]', (elements) =>
    Object.fromEntries(elements.map((element) => [element.getAttribute('data-testid'), element.textContent])),
  );
}

/**
 * The simulator plays a month of marketplace traffic in seconds, so every session would fall on today. A
 * trigger installed for this test dates each session as it is inserted, by arrival order: the first
 * `days - 1` days ago, the last today. Dating them on the way in (rather than moving them afterwards)
 * keeps everything the server derives from a session's date, such as its daily rollups, consistent with it;
 * choices and interactions count towards their session's day.
 */
async function dateSessionsAcrossDays(server: TestServer, sessions: number, days: number): Promise<void> {
  const { prisma } = server.matchloop.database;
  await prisma.$executeRawUnsafe(`
    CREATE FUNCTION e2e_date_session_by_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW."createdAt" := NEW."createdAt" - make_interval(days => GREATEST(0,
        ${days} * (${sessions} - 1 - (SELECT count(*) FROM "MatchingFeedbackSession")::int) / ${sessions}));
      RETURN NEW;
    END $$`);
  await prisma.$executeRawUnsafe(`
    CREATE TRIGGER e2e_date_session_by_arrival BEFORE INSERT ON "MatchingFeedbackSession"
    FOR EACH ROW EXECUTE FUNCTION e2e_date_session_by_arrival()`);
}

/**
 * CI installs Chromium and must run this test; on a developer's machine without it, the test is reported as
 * skipped so that `pnpm test` works with only Node and npm.
 */
const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

describe.runIf(browserAvailable)(
  'the dashboard, in headless Chromium, against a live server filled by the simulator',
  () => {
    let server: TestServer;
    let browser: Browser;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) {
        throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium).`);
      }
      if (!existsSync(DIST_INDEX)) {
        throw new Error(
          'The dashboard is not built: run `pnpm --filter @matchloop/dashboard build` (pnpm test does).',
        );
      }
      server = await startTestServer('pglite');
      await dateSessionsAcrossDays(server, SIMULATED_SESSIONS, SIMULATED_DAYS);
      await runSimulation(server.client(), { sessions: SIMULATED_SESSIONS, seed: 1 });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function openDashboard(): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(server.url);
      return page;
    }

    async function signIn(page: Page, key: string): Promise<void> {
      await page.fill('[data-testid="admin-key-input"]', key);
      await page.click('button[type="submit"]');
    }

    /** Sets the filters through the page's controls, as an operator would. */
    async function applyFilters(page: Page, filters: DashboardFilters): Promise<void> {
      await page.selectOption('[data-testid="filter-window"]', filters.window);
      await page.selectOption('[data-testid="filter-segment"]', filters.segment ?? '');
      await page.selectOption('[data-testid="filter-complexity"]', filters.complexity ?? '');
    }

    it('says plainly why a key is refused', async () => {
      const page = await openDashboard();
      try {
        await signIn(page, 'mlk_not-a-key-this-server-knows');
        await expect
          .poll(() => page.textContent('[data-testid="sign-in-error"]'), POLL)
          .toMatch(/not accepted/);

        await signIn(page, await server.createKey(['ingest', 'read']));
        await expect
          .poll(() => page.textContent('[data-testid="sign-in-error"]'), POLL)
          .toMatch(/admin scope/);
        expect(await page.locator('[data-testid="dashboard"]').count()).toBe(0);
      } finally {
        await page.close();
      }
    });

    it('shows the figures the API computes, follows the filters, and keeps the key for the session', async () => {
      const client = server.client();
      const page = await openDashboard();
      try {
        await signIn(page, server.adminKey);

        const allTime = await client.feedbackLearning.analytics.query({});
        expect(allTime.overall.sessions).toBe(SIMULATED_SESSIONS);
        // The default window (the last 30 days) holds every simulated session.
        await expect.poll(() => shownKpis(page), POLL).toEqual(expectedKpis(allTime.overall));

        for (const filters of [
          { window: '7d', segment: null, complexity: null },
          { window: 'all', segment: 'price_sensitive', complexity: null },
          { window: '90d', segment: null, complexity: 'complex' },
        ] as const satisfies readonly DashboardFilters[]) {
          await applyFilters(page, filters);
          const expected = await client.feedbackLearning.analytics.query(
            analyticsInputFor(filters, new Date()),
          );
          expect(expected.overall.sessions, `sessions for ${JSON.stringify(filters)}`).toBeGreaterThan(0);
          await expect.poll(() => shownKpis(page), POLL).toEqual(expectedKpis(expected.overall));
        }

        // The key is kept for the browser session: a reload needs no sign-in; signing out forgets it.
        await page.reload();
        await expect.poll(() => page.locator('[data-testid="kpi-sessions"]').count(), POLL).toBe(1);
        await page.click('[data-testid="sign-out"]');
        await expect.poll(() => page.locator('[data-testid="admin-key-input"]').count(), POLL).toBe(1);
        await page.reload();
        expect(await page.locator('[data-testid="admin-key-input"]').count()).toBe(1);
      } finally {
        await page.close();
      }
    });

    it('draws the trends, the chosen ranks and every segment’s weights from the data, and saves a screenshot', async () => {
      const client = server.client();
      const analytics: AnalyticsOutput = await client.feedbackLearning.analytics.query(
        analyticsInputFor(DEFAULT_FILTERS, new Date()),
      );
      const weights: WeightsOutput[] = await Promise.all(
        SEGMENTS.map((segment) => client.feedbackLearning.weights.query({ segment })),
      );
      const page = await openDashboard();
      try {
        await signIn(page, server.adminKey);
        await page.waitForSelector('[data-testid="chart-conversion-trend"] .recharts-line-curve', POLL);

        // One vertex per day with a conversion rate: the line is drawn from the daily figures, gaps and all.
        const daysWithRate = analytics.daily.filter((day) => day.conversionRate !== null).length;
        expect(daysWithRate).toBeGreaterThan(SIMULATED_DAYS / 2);
        const conversionLine = await page.getAttribute(
          '[data-testid="chart-conversion-trend"] .recharts-line-curve',
          'd',
        );
        expect(conversionLine?.match(/[ML]/g)?.length).toBe(daysWithRate);
        for (const chart of ['chart-rank-trend', 'chart-satisfaction-trend']) {
          const line = await page.getAttribute(`[data-testid="${chart}"] .recharts-line-curve`, 'd');
          expect(line?.match(/[ML]/g)?.length, chart).toBeGreaterThan(SIMULATED_DAYS / 2);
        }

        // One bar per chosen rank.
        expect(analytics.overall.chosenRankDistribution.length).toBeGreaterThan(1);
        expect(
          await page.locator('[data-testid="chart-rank-distribution"] .recharts-bar-rectangle path').count(),
        ).toBe(analytics.overall.chosenRankDistribution.length);

        // Per segment, a bar for each default and served weight (a zero one has no bar), one for each learned
        // weight once the segment has learned anything, and an interval wherever the standard error is known.
        for (const { segment, defaults, values, learned } of weights) {
          const card = page.locator(`[data-testid="weights-${segment}"]`);
          const drawnWeights =
            [...Object.values(defaults), ...Object.values(values)].filter((weight) => weight > 0).length +
            (learned ? Object.keys(learned.values).length : 0);
          await expect
            .poll(() => card.locator('.recharts-bar-rectangle path').count(), { ...POLL, message: segment })
            .toBe(drawnWeights);
          const intervals = Object.values(learned?.standardErrors ?? {}).filter(
            (error) => error !== null,
          ).length;
          expect(await card.locator('.recharts-errorBar').count(), segment).toBe(intervals);
        }

        await mkdir(dirname(SCREENSHOT_PATH), { recursive: true });
        await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
        console.info(`dashboard screenshot: ${SCREENSHOT_PATH}`);
      } finally {
        await page.close();
      }
    });

    it('answers a browser navigating to an unknown path with the dashboard, and the API with JSON', async () => {
      const browserAccept = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
      const deepLink = await fetch(`${server.url}/segments/price_sensitive`, { headers: browserAccept });
      expect(deepLink.status).toBe(200);
      expect(await deepLink.text()).toContain('<div id="root">');

      // A REST path opened in a browser is still the API.
      const health = await fetch(`${server.url}/feedback-learning/health`, { headers: browserAccept });
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toContain('application/json');

      const unknown = await fetch(`${server.url}/feedback-learning/no-such-endpoint`, {
        headers: { accept: 'application/json' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/json');
    });
  },
);
