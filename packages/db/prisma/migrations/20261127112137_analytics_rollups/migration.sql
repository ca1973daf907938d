-- CreateTable
CREATE TABLE "DailyOutcomeRollup" (
    "day" DATE NOT NULL,
    "segment" "Segment" NOT NULL,
    "complexity" TEXT NOT NULL,
    "weightsSource" "WeightsSource" NOT NULL,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "choices" INTEGER NOT NULL DEFAULT 0,
    "chosenRankSum" INTEGER NOT NULL DEFAULT 0,
    "satisfactionSum" INTEGER NOT NULL DEFAULT 0,
    "satisfactionCount" INTEGER NOT NULL DEFAULT 0,
    "decisionTimeSecondsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "decisionTimeCount" INTEGER NOT NULL DEFAULT 0,
    "helpfulRatingSum" INTEGER NOT NULL DEFAULT 0,
    "helpfulRatingCount" INTEGER NOT NULL DEFAULT 0,
    "viewed" INTEGER NOT NULL DEFAULT 0,
    "expanded" INTEGER NOT NULL DEFAULT 0,
    "compared" INTEGER NOT NULL DEFAULT 0,
    "contacted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DailyOutcomeRollup_pkey" PRIMARY KEY ("day","segment","complexity","weightsSource")
);

-- CreateTable
CREATE TABLE "DailyChosenRankRollup" (
    "day" DATE NOT NULL,
    "segment" "Segment" NOT NULL,
    "complexity" TEXT NOT NULL,
    "weightsSource" "WeightsSource" NOT NULL,
    "rank" INTEGER NOT NULL,
    "choices" INTEGER NOT NULL,

    CONSTRAINT "DailyChosenRankRollup_pkey" PRIMARY KEY ("day","segment","complexity","weightsSource","rank")
);

-- Keep the rollups current. Sessions, choices and interactions are only ever inserted, so AFTER INSERT
-- statement triggers suffice: each adds what one statement inserted, grouped by rollup key, in key order
-- (so concurrent statements lock rollup rows in the same order and cannot deadlock). A choice and an
-- interaction count towards their session's day, segment, complexity and weights source.
--
-- The function bodies are E'' strings with every semicolon written \073 (and quotes doubled): the
-- PostgreSQL driver adapter splits a migration script at every semicolon before running it, which would cut a
-- $$-quoted body apart.

CREATE FUNCTION matchloop_rollup_sessions() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "DailyOutcomeRollup" AS r (day, segment, complexity, "weightsSource", sessions)
  SELECT ("createdAt" AT TIME ZONE ''UTC'')::date, segment, COALESCE(complexity::text, ''''), "weightsSource", COUNT(*)
  FROM inserted
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, segment, complexity, "weightsSource") DO UPDATE SET sessions = r.sessions + EXCLUDED.sessions\073
  RETURN NULL\073
END ';

CREATE TRIGGER "MatchingFeedbackSession_rollup" AFTER INSERT ON "MatchingFeedbackSession"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION matchloop_rollup_sessions();

CREATE FUNCTION matchloop_rollup_choices() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "DailyOutcomeRollup" AS r
    (day, segment, complexity, "weightsSource", choices, "chosenRankSum", "satisfactionSum", "satisfactionCount",
     "decisionTimeSecondsSum", "decisionTimeCount")
  SELECT (s."createdAt" AT TIME ZONE ''UTC'')::date, s.segment, COALESCE(s.complexity::text, ''''), s."weightsSource",
         COUNT(c."chosenRank"), COALESCE(SUM(c."chosenRank"), 0), COALESCE(SUM(c.satisfaction), 0),
         COUNT(c.satisfaction), COALESCE(SUM(c."decisionTimeSeconds"), 0), COUNT(c."decisionTimeSeconds")
  FROM inserted c JOIN "MatchingFeedbackSession" s ON s.id = c."sessionId"
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, segment, complexity, "weightsSource") DO UPDATE SET
    choices = r.choices + EXCLUDED.choices,
    "chosenRankSum" = r."chosenRankSum" + EXCLUDED."chosenRankSum",
    "satisfactionSum" = r."satisfactionSum" + EXCLUDED."satisfactionSum",
    "satisfactionCount" = r."satisfactionCount" + EXCLUDED."satisfactionCount",
    "decisionTimeSecondsSum" = r."decisionTimeSecondsSum" + EXCLUDED."decisionTimeSecondsSum",
    "decisionTimeCount" = r."decisionTimeCount" + EXCLUDED."decisionTimeCount"\073

  INSERT INTO "DailyChosenRankRollup" AS r (day, segment, complexity, "weightsSource", rank, choices)
  SELECT (s."createdAt" AT TIME ZONE ''UTC'')::date, s.segment, COALESCE(s.complexity::text, ''''), s."weightsSource",
         c."chosenRank", COUNT(*)
  FROM inserted c JOIN "MatchingFeedbackSession" s ON s.id = c."sessionId"
  WHERE c."chosenRank" IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (day, segment, complexity, "weightsSource", rank) DO UPDATE SET choices = r.choices + EXCLUDED.choices\073
  RETURN NULL\073
END ';

CREATE TRIGGER "CustomerChoice_rollup" AFTER INSERT ON "CustomerChoice"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION matchloop_rollup_choices();

CREATE FUNCTION matchloop_rollup_interactions() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "DailyOutcomeRollup" AS r
    (day, segment, complexity, "weightsSource", "helpfulRatingSum", "helpfulRatingCount",
     viewed, expanded, compared, contacted)
  SELECT (s."createdAt" AT TIME ZONE ''UTC'')::date, s.segment, COALESCE(s.complexity::text, ''''), s."weightsSource",
         COALESCE(SUM(i."helpfulRating"), 0), COUNT(i."helpfulRating"),
         COUNT(*) FILTER (WHERE i."interactionType" = ''viewed''),
         COUNT(*) FILTER (WHERE i."interactionType" = ''expanded''),
         COUNT(*) FILTER (WHERE i."interactionType" = ''compared''),
         COUNT(*) FILTER (WHERE i."interactionType" = ''contacted'')
  FROM inserted i JOIN "MatchingFeedbackSession" s ON s.id = i."sessionId"
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, segment, complexity, "weightsSource") DO UPDATE SET
    "helpfulRatingSum" = r."helpfulRatingSum" + EXCLUDED."helpfulRatingSum",
    "helpfulRatingCount" = r."helpfulRatingCount" + EXCLUDED."helpfulRatingCount",
    viewed = r.viewed + EXCLUDED.viewed,
    expanded = r.expanded + EXCLUDED.expanded,
    compared = r.compared + EXCLUDED.compared,
    contacted = r.contacted + EXCLUDED.contacted\073
  RETURN NULL\073
END ';

CREATE TRIGGER "RecommendationInteraction_rollup" AFTER INSERT ON "RecommendationInteraction"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION matchloop_rollup_interactions();

-- Fill the rollups from what is already stored.
INSERT INTO "DailyOutcomeRollup"
SELECT (s."createdAt" AT TIME ZONE 'UTC')::date, s.segment, COALESCE(s.complexity::text, ''), s."weightsSource",
       COUNT(*), COUNT(c."chosenRank"), COALESCE(SUM(c."chosenRank"), 0), COALESCE(SUM(c.satisfaction), 0),
       COUNT(c.satisfaction), COALESCE(SUM(c."decisionTimeSeconds"), 0), COUNT(c."decisionTimeSeconds"),
       COALESCE(SUM(e.helpful_sum), 0), COALESCE(SUM(e.helpful_count), 0), COALESCE(SUM(e.viewed), 0),
       COALESCE(SUM(e.expanded), 0), COALESCE(SUM(e.compared), 0), COALESCE(SUM(e.contacted), 0)
FROM "MatchingFeedbackSession" s
LEFT JOIN "CustomerChoice" c ON c."sessionId" = s.id
LEFT JOIN (
  SELECT "sessionId", SUM("helpfulRating") AS helpful_sum, COUNT("helpfulRating") AS helpful_count,
         COUNT(*) FILTER (WHERE "interactionType" = 'viewed') AS viewed,
         COUNT(*) FILTER (WHERE "interactionType" = 'expanded') AS expanded,
         COUNT(*) FILTER (WHERE "interactionType" = 'compared') AS compared,
         COUNT(*) FILTER (WHERE "interactionType" = 'contacted') AS contacted
  FROM "RecommendationInteraction" GROUP BY "sessionId"
) e ON e."sessionId" = s.id
GROUP BY 1, 2, 3, 4;

INSERT INTO "DailyChosenRankRollup"
SELECT (s."createdAt" AT TIME ZONE 'UTC')::date, s.segment, COALESCE(s.complexity::text, ''), s."weightsSource",
       c."chosenRank", COUNT(*)
FROM "CustomerChoice" c JOIN "MatchingFeedbackSession" s ON s.id = c."sessionId"
WHERE c."chosenRank" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
