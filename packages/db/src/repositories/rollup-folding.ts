import type { PrismaClient } from '../generated/prisma/client';

const DAY_MS = 86_400_000;

/**
 * Folds each outcome rollup key's shard rows into its shard 0, for every UTC day before yesterday, and returns
 * how many shard rows it folded in. Concurrent writers add to rows of their own shard (see migration
 * `rollup_rows_per_connection`), so a busy day leaves up to eight rows per key. Folding keeps what analytics
 * reads over a long window to one row per key and day. Today and yesterday stay sharded: sessions are stamped
 * by each server's clock, so yesterday's may still be arriving. A late choice or interaction on an older
 * session adds a shard row again, which the next fold takes in.
 *
 * One statement, so analytics sees every sum exactly once, before or after. The rows are locked in key order,
 * the order in which the triggers lock a shard's rows, so folding cannot deadlock with a writer, and several
 * servers folding at once take turns: the later finds nothing left to fold.
 */
export async function foldFinishedRollupDays(prisma: PrismaClient, now = new Date()): Promise<number> {
  const yesterday = new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
  const [{ folded }] = await prisma.$queryRaw<[{ folded: number }]>`
    WITH locked AS (
      SELECT day, segment, complexity, "weightsSource", shard
      FROM "DailyOutcomeRollup"
      WHERE shard <> 0 AND day < ${yesterday}::date
      ORDER BY day, segment, complexity, "weightsSource", shard
      FOR UPDATE
    ),
    taken AS (
      DELETE FROM "DailyOutcomeRollup" r
      USING locked l
      WHERE (r.day, r.segment, r.complexity, r."weightsSource", r.shard)
          = (l.day, l.segment, l.complexity, l."weightsSource", l.shard)
      RETURNING r.*
    ),
    added AS (
      INSERT INTO "DailyOutcomeRollup" AS r
        (day, segment, complexity, "weightsSource", shard, sessions, choices, "chosenRankSum", "satisfactionSum",
         "satisfactionCount", "decisionTimeSecondsSum", "decisionTimeCount", "helpfulRatingSum",
         "helpfulRatingCount", viewed, expanded, compared, contacted)
      SELECT day, segment, complexity, "weightsSource", 0, SUM(sessions), SUM(choices), SUM("chosenRankSum"),
             SUM("satisfactionSum"), SUM("satisfactionCount"), SUM("decisionTimeSecondsSum"),
             SUM("decisionTimeCount"), SUM("helpfulRatingSum"), SUM("helpfulRatingCount"), SUM(viewed),
             SUM(expanded), SUM(compared), SUM(contacted)
      FROM taken
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, segment, complexity, "weightsSource", shard) DO UPDATE SET
        sessions = r.sessions + EXCLUDED.sessions,
        choices = r.choices + EXCLUDED.choices,
        "chosenRankSum" = r."chosenRankSum" + EXCLUDED."chosenRankSum",
        "satisfactionSum" = r."satisfactionSum" + EXCLUDED."satisfactionSum",
        "satisfactionCount" = r."satisfactionCount" + EXCLUDED."satisfactionCount",
        "decisionTimeSecondsSum" = r."decisionTimeSecondsSum" + EXCLUDED."decisionTimeSecondsSum",
        "decisionTimeCount" = r."decisionTimeCount" + EXCLUDED."decisionTimeCount",
        "helpfulRatingSum" = r."helpfulRatingSum" + EXCLUDED."helpfulRatingSum",
        "helpfulRatingCount" = r."helpfulRatingCount" + EXCLUDED."helpfulRatingCount",
        viewed = r.viewed + EXCLUDED.viewed,
        expanded = r.expanded + EXCLUDED.expanded,
        compared = r.compared + EXCLUDED.compared,
        contacted = r.contacted + EXCLUDED.contacted
    )
    SELECT COUNT(*)::int AS folded FROM taken`;
  return folded;
}
