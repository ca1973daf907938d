import type { AnalyticsInput, Complexity, OutcomeFigures, Segment } from '@matchloop/schemas';
import { Prisma, type PrismaClient } from '../generated/prisma/client';

export interface OutcomeBreakdown {
  overall: OutcomeFigures;
  bySegment: Map<Segment, OutcomeFigures>;
  byComplexity: Map<Complexity | null, OutcomeFigures>;
}

interface OutcomeRow {
  grouping: 'overall' | 'segment' | 'complexity';
  segment: Segment | null;
  complexity: Complexity | null;
  sessions: number;
  choices: number;
  averageChosenRank: number | null;
  averageSatisfaction: number | null;
  averageDecisionTimeSeconds: number | null;
}

/**
 * Outcome figures for the sessions matching the filters, overall and broken down by segment and by
 * complexity, in one pass of the database over the sessions (GROUPING SETS) rather than three.
 */
export async function outcomeBreakdown(
  prisma: PrismaClient,
  filters: AnalyticsInput,
): Promise<OutcomeBreakdown> {
  const conditions = [
    filters.from && Prisma.sql`s."createdAt" >= ${filters.from}`,
    filters.to && Prisma.sql`s."createdAt" < ${filters.to}`,
    filters.segment && Prisma.sql`s.segment = ${filters.segment}::"Segment"`,
    filters.complexity && Prisma.sql`s.complexity = ${filters.complexity}::"Complexity"`,
  ].filter((condition): condition is Prisma.Sql => Boolean(condition));
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;

  const rows = await prisma.$queryRaw<OutcomeRow[]>`
    SELECT
      CASE WHEN GROUPING(s.segment) = 0 THEN 'segment'
           WHEN GROUPING(s.complexity) = 0 THEN 'complexity'
           ELSE 'overall' END AS grouping,
      s.segment::text AS segment,
      s.complexity::text AS complexity,
      COUNT(*)::int AS sessions,
      COUNT(c."chosenManufacturerId")::int AS choices,
      AVG(c."chosenRank")::float8 AS "averageChosenRank",
      AVG(c.satisfaction)::float8 AS "averageSatisfaction",
      AVG(c."decisionTimeSeconds")::float8 AS "averageDecisionTimeSeconds"
    FROM "MatchingFeedbackSession" s
    LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id
    ${where}
    GROUP BY GROUPING SETS ((), (s.segment), (s.complexity))`;

  const breakdown: OutcomeBreakdown = {
    overall: emptyFigures(),
    bySegment: new Map(),
    byComplexity: new Map(),
  };
  for (const row of rows) {
    const figures = toFigures(row);
    if (row.grouping === 'overall') breakdown.overall = figures;
    else if (row.grouping === 'segment' && row.segment) breakdown.bySegment.set(row.segment, figures);
    else if (row.grouping === 'complexity') breakdown.byComplexity.set(row.complexity, figures);
  }
  return breakdown;
}

export function emptyFigures(): OutcomeFigures {
  return {
    sessions: 0,
    choices: 0,
    conversionRate: null,
    averageChosenRank: null,
    averageSatisfaction: null,
    averageDecisionTimeSeconds: null,
  };
}

function toFigures(row: OutcomeRow): OutcomeFigures {
  return {
    sessions: row.sessions,
    choices: row.choices,
    conversionRate: row.sessions > 0 ? row.choices / row.sessions : null,
    averageChosenRank: row.averageChosenRank,
    averageSatisfaction: row.averageSatisfaction,
    averageDecisionTimeSeconds: row.averageDecisionTimeSeconds,
  };
}
