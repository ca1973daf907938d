import type {
  AnalyticsInput,
  Complexity,
  DailyFigures,
  OutcomeFigures,
  Segment,
  WeightsSource,
} from '@matchloop/schemas';
import { Prisma, type PrismaClient } from '../generated/prisma/client';

export interface OutcomeBreakdown {
  overall: OutcomeFigures;
  bySegment: Map<Segment, OutcomeFigures>;
  byComplexity: Map<Complexity | null, OutcomeFigures>;
  byWeightsSource: Map<WeightsSource, OutcomeFigures>;
  /** UTC days with sessions, oldest first. */
  daily: DailyFigures[];
}

type Dimension = 'overall' | 'segment' | 'complexity' | 'source' | 'day';

interface OutcomeRow {
  dimension: Dimension;
  /** True on the rows that count choices per presented rank within the dimension's group. */
  perRank: boolean;
  segment: Segment | null;
  complexity: Complexity | null;
  source: WeightsSource | null;
  day: string | null;
  rank: number | null;
  sessions: number;
  choices: number;
  /** On per-rank rows: choices that went to `rank`. */
  rankChoices: number;
  averageChosenRank: number | null;
  averageSatisfaction: number | null;
  averageDecisionTimeSeconds: number | null;
  averageHelpfulRating: number | null;
  viewedPerSession: number | null;
  expandedPerSession: number | null;
  comparedPerSession: number | null;
  contactedPerSession: number | null;
}

/**
 * Outcome figures for the sessions matching the filters: overall, by segment, by complexity, by weights
 * source and by UTC day, each with its chosen-rank distribution, in one statement.
 *
 * How it stays fast and exact:
 * - Whole UTC days are read from the daily rollups (DailyOutcomeRollup, DailyChosenRankRollup), which
 *   triggers keep current, so a day of history is at most some thousand rows whatever the traffic. An
 *   outcome key's shards are summed first, so the breakdowns below group one row per key and day. Only the
 *   partial days at the window's edges (a `from` or `to` that is not midnight UTC) are computed from the
 *   sessions themselves, through the createdAt index.
 * - Both sources produce the same "fine" rows, sums and counts per (segment, complexity, weights source,
 *   day), plus choices per (segment, complexity, weights source, rank); GROUPING SETS then roll those few
 *   rows up into every breakdown at once. Averages are carried as sums and counts to the end, so each
 *   level averages over sessions, not over groups.
 * - Interactions are summed on their own, never joined to choices, so a session with many interactions is
 *   still one session. An interaction counts towards its session's window, segment and complexity.
 */
export async function outcomeBreakdown(
  prisma: PrismaClient,
  filters: AnalyticsInput,
): Promise<OutcomeBreakdown> {
  const { firstWholeDay, endOfWholeDays } = wholeDays(filters);
  const sessionFilters = [
    filters.from && Prisma.sql`s."createdAt" >= ${filters.from}`,
    filters.to && Prisma.sql`s."createdAt" < ${filters.to}`,
    filters.segment && Prisma.sql`s.segment = ${filters.segment}::"Segment"`,
    filters.complexity && Prisma.sql`s.complexity = ${filters.complexity}::"Complexity"`,
  ];
  // Sessions outside the whole days; when there are none, the edges cover the whole window.
  const edges = [
    firstWholeDay && Prisma.sql`s."createdAt" < ${firstWholeDay}::date::timestamp AT TIME ZONE 'UTC'`,
    endOfWholeDays && Prisma.sql`s."createdAt" >= ${endOfWholeDays}::date::timestamp AT TIME ZONE 'UTC'`,
  ].filter((condition): condition is Prisma.Sql => Boolean(condition));
  const edgeSessions = all([
    ...sessionFilters,
    edges.length > 0 ? Prisma.sql`(${Prisma.join(edges, ' OR ')})` : Prisma.sql`FALSE`,
  ]);
  const rollupDays = all([
    firstWholeDay && Prisma.sql`r.day >= ${firstWholeDay}::date`,
    endOfWholeDays && Prisma.sql`r.day < ${endOfWholeDays}::date`,
    filters.segment && Prisma.sql`r.segment = ${filters.segment}::"Segment"`,
    filters.complexity && Prisma.sql`r.complexity = ${filters.complexity}`,
  ]);

  const rows = await prisma.$queryRaw<OutcomeRow[]>`
    WITH edge AS MATERIALIZED (
      SELECT s.id, s.segment, s.complexity, s."weightsSource" AS source,
             (s."createdAt" AT TIME ZONE 'UTC')::date AS day,
             c."chosenRank", c.satisfaction, c."decisionTimeSeconds"
      FROM "MatchingFeedbackSession" s
      LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id
      WHERE ${edgeSessions}
    ),
    fine AS (
      SELECT r.segment, NULLIF(r.complexity, '')::"Complexity" AS complexity, r."weightsSource" AS source,
             r.day, NULL::int AS rank, SUM(r.sessions) AS sessions, SUM(r.choices) AS choices,
             SUM(r."chosenRankSum") AS rank_sum, SUM(r."satisfactionSum") AS satisfaction_sum,
             SUM(r."satisfactionCount") AS satisfaction_count, SUM(r."decisionTimeSecondsSum") AS decision_sum,
             SUM(r."decisionTimeCount") AS decision_count, SUM(r."helpfulRatingSum") AS helpful_sum,
             SUM(r."helpfulRatingCount") AS helpful_count, SUM(r.viewed) AS viewed,
             SUM(r.expanded) AS expanded, SUM(r.compared) AS compared, SUM(r.contacted) AS contacted,
             0 AS rank_choices
      FROM "DailyOutcomeRollup" r
      WHERE ${rollupDays}
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT r.segment, NULLIF(r.complexity, '')::"Complexity", r."weightsSource", NULL, r.rank,
             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, SUM(r.choices)
      FROM "DailyChosenRankRollup" r
      WHERE ${rollupDays}
      GROUP BY 1, 2, 3, 5
      UNION ALL
      SELECT segment, complexity, source, day, NULL, COUNT(*), COUNT("chosenRank"), SUM("chosenRank"),
             SUM(satisfaction), COUNT(satisfaction), SUM("decisionTimeSeconds"), COUNT("decisionTimeSeconds"),
             0, 0, 0, 0, 0, 0, 0
      FROM edge
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT segment, complexity, source, NULL, "chosenRank", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, COUNT(*)
      FROM edge
      WHERE "chosenRank" IS NOT NULL
      GROUP BY 1, 2, 3, 5
      UNION ALL
      SELECT e.segment, e.complexity, e.source, e.day, NULL, 0, 0, 0, 0, 0, 0, 0,
             SUM(i."helpfulRating"), COUNT(i."helpfulRating"),
             COUNT(*) FILTER (WHERE i."interactionType" = 'viewed'),
             COUNT(*) FILTER (WHERE i."interactionType" = 'expanded'),
             COUNT(*) FILTER (WHERE i."interactionType" = 'compared'),
             COUNT(*) FILTER (WHERE i."interactionType" = 'contacted'), 0
      FROM edge e
      JOIN "RecommendationInteraction" i ON i."sessionId" = e.id
      GROUP BY 1, 2, 3, 4
    )
    SELECT
      CASE WHEN GROUPING(segment) = 0 THEN 'segment'
           WHEN GROUPING(complexity) = 0 THEN 'complexity'
           WHEN GROUPING(source) = 0 THEN 'source'
           WHEN GROUPING(day) = 0 THEN 'day'
           ELSE 'overall' END AS dimension,
      GROUPING(rank) = 0 AS "perRank",
      segment::text AS segment, complexity::text AS complexity, source::text AS source, day::text AS day, rank,
      COALESCE(SUM(sessions), 0)::int AS sessions,
      COALESCE(SUM(choices), 0)::int AS choices,
      COALESCE(SUM(rank_choices), 0)::int AS "rankChoices",
      SUM(rank_sum)::float8 / NULLIF(SUM(choices), 0) AS "averageChosenRank",
      SUM(satisfaction_sum)::float8 / NULLIF(SUM(satisfaction_count), 0) AS "averageSatisfaction",
      SUM(decision_sum)::float8 / NULLIF(SUM(decision_count), 0) AS "averageDecisionTimeSeconds",
      SUM(helpful_sum)::float8 / NULLIF(SUM(helpful_count), 0) AS "averageHelpfulRating",
      SUM(viewed)::float8 / NULLIF(SUM(sessions), 0) AS "viewedPerSession",
      SUM(expanded)::float8 / NULLIF(SUM(sessions), 0) AS "expandedPerSession",
      SUM(compared)::float8 / NULLIF(SUM(sessions), 0) AS "comparedPerSession",
      SUM(contacted)::float8 / NULLIF(SUM(sessions), 0) AS "contactedPerSession"
    FROM fine
    GROUP BY GROUPING SETS (
      (), (segment), (complexity), (source), (day),
      (rank), (segment, rank), (complexity, rank), (source, rank)
    )`;

  return assembleBreakdown(rows);
}

/**
 * The whole UTC days of the window, as 'YYYY-MM-DD': from the first midnight at or after `from` up to
 * (not including) the last midnight at or before `to`; null where the window is open.
 */
function wholeDays({ from, to }: AnalyticsInput): {
  firstWholeDay: string | null;
  endOfWholeDays: string | null;
} {
  const DAY = 86_400_000;
  const utcDate = (milliseconds: number) => new Date(milliseconds).toISOString().slice(0, 10);
  return {
    firstWholeDay: from ? utcDate(Math.ceil(from.getTime() / DAY) * DAY) : null,
    endOfWholeDays: to ? utcDate(Math.floor(to.getTime() / DAY) * DAY) : null,
  };
}

/** A condition, or a falsy value where a filter was not given. */
type OptionalCondition = Prisma.Sql | false | null | undefined | '';

/** The conditions given, joined with AND; TRUE when there are none. */
function all(conditions: readonly OptionalCondition[]): Prisma.Sql {
  const present = conditions.filter((condition): condition is Prisma.Sql => Boolean(condition));
  return present.length > 0 ? Prisma.join(present, ' AND ') : Prisma.sql`TRUE`;
}

export function emptyFigures(): OutcomeFigures {
  return {
    sessions: 0,
    choices: 0,
    conversionRate: null,
    averageChosenRank: null,
    chosenRankDistribution: [],
    averageSatisfaction: null,
    averageDecisionTimeSeconds: null,
    averageHelpfulRating: null,
    interactionsPerSession: { viewed: 0, expanded: 0, compared: 0, contacted: 0 },
  };
}

function assembleBreakdown(rows: readonly OutcomeRow[]): OutcomeBreakdown {
  const breakdown: OutcomeBreakdown = {
    overall: emptyFigures(),
    bySegment: new Map(),
    byComplexity: new Map(),
    byWeightsSource: new Map(),
    daily: [],
  };
  const groups = new Map<string, OutcomeFigures>();
  const distributions = new Map<string, { rank: number; choices: number }[]>();
  for (const row of rows) {
    const key = groupKey(row);
    if (row.perRank) {
      // The totals rows, which carry no rank, form a rank-less group here: it is no part of the distribution.
      if (row.rank === null || row.rankChoices === 0) continue;
      const distribution = distributions.get(key) ?? [];
      distribution.push({ rank: row.rank, choices: row.rankChoices });
      distributions.set(key, distribution);
      continue;
    }
    const figures = toFigures(row);
    groups.set(key, figures);
    if (row.dimension === 'overall') breakdown.overall = figures;
    else if (row.dimension === 'segment' && row.segment) breakdown.bySegment.set(row.segment, figures);
    else if (row.dimension === 'complexity') breakdown.byComplexity.set(row.complexity, figures);
    else if (row.dimension === 'source' && row.source) breakdown.byWeightsSource.set(row.source, figures);
    else if (row.dimension === 'day' && row.day) breakdown.daily.push(toDailyFigures(row.day, figures));
  }
  for (const [key, distribution] of distributions) {
    const figures = groups.get(key);
    if (figures) figures.chosenRankDistribution = distribution.sort((a, b) => a.rank - b.rank);
  }
  breakdown.daily.sort((a, b) => a.date.localeCompare(b.date));
  return breakdown;
}

/** Which group a row belongs to: the same for a group's figures and for its per-rank rows. */
function groupKey(row: OutcomeRow): string {
  const value = {
    overall: '',
    segment: row.segment,
    complexity: row.complexity,
    source: row.source,
    day: row.day,
  }[row.dimension];
  // A null complexity is a group of its own (sessions sent without one), keyed by the empty string.
  return `${row.dimension}:${value ?? ''}`;
}

function toFigures(row: OutcomeRow): OutcomeFigures {
  return {
    sessions: row.sessions,
    choices: row.choices,
    conversionRate: row.sessions > 0 ? row.choices / row.sessions : null,
    averageChosenRank: row.averageChosenRank,
    chosenRankDistribution: [],
    averageSatisfaction: row.averageSatisfaction,
    averageDecisionTimeSeconds: row.averageDecisionTimeSeconds,
    averageHelpfulRating: row.averageHelpfulRating,
    interactionsPerSession: {
      viewed: row.viewedPerSession ?? 0,
      expanded: row.expandedPerSession ?? 0,
      compared: row.comparedPerSession ?? 0,
      contacted: row.contactedPerSession ?? 0,
    },
  };
}

function toDailyFigures(date: string, figures: OutcomeFigures): DailyFigures {
  const { sessions, choices, conversionRate, averageChosenRank, averageSatisfaction } = figures;
  return { date, sessions, choices, conversionRate, averageChosenRank, averageSatisfaction };
}
