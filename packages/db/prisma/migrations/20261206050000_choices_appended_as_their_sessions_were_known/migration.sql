-- A server now folds a round of choices for sessions it opened itself without reading them first: it knows
-- what each session showed, where the log ends and how many choices each customer has logged. What it
-- knows of the last two may be out of date, so appending checks them under the log's lock, beside where the
-- log ends: none of the sessions may have a choice yet, each must be stored, and each customer must have
-- logged exactly the choices numbered before theirs in the round. When any does not hold, nothing is
-- appended, and the server reads the sessions and folds the round again. A server that read its sessions
-- first passes these checks by construction, so servers of the previous version are served the same.
-- (Function bodies are E'' strings with every semicolon written \073, as the driver adapter splits scripts at each one.)

CREATE OR REPLACE FUNCTION matchloop_append_choices(
  lock_key bigint, expected_log_end bigint, choices jsonb, created_at timestamptz
) RETURNS TABLE (logged_session_id text, logged_sequence bigint) VOLATILE LANGUAGE plpgsql AS E'
DECLARE
  known record\073
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key)\073
  IF (SELECT coalesce(max(log.sequence), 0) FROM "CustomerChoice" log) <> expected_log_end THEN
    RETURN\073
  END IF\073
  -- One session, then one customer, at a time: asked of the whole round in one query, PostgreSQL expected a
  -- hundred sessions and hashed every stored one to answer, a few milliseconds more with each 10,000.
  FOR known IN SELECT * FROM jsonb_to_recordset(choices) AS c("sessionId" uuid) LOOP
    IF NOT EXISTS (SELECT 1 FROM "MatchingFeedbackSession" s WHERE s.id = known."sessionId")
       OR EXISTS (SELECT 1 FROM "CustomerChoice" e WHERE e."sessionId" = known."sessionId") THEN
      RETURN\073
    END IF\073
  END LOOP\073
  FOR known IN
    SELECT c."customerId", min(c."customerChoiceNumber") - 1 AS "choicesBefore"
    FROM jsonb_to_recordset(choices) AS c("customerId" text, "customerChoiceNumber" int)
    GROUP BY c."customerId"
  LOOP
    IF (SELECT count(*) FROM "CustomerChoice" e WHERE e."customerId" = known."customerId")
       <> known."choicesBefore" THEN
      RETURN\073
    END IF\073
  END LOOP\073
  RETURN QUERY
  WITH choice AS (
    SELECT * FROM jsonb_to_recordset(choices) AS c(
      position int, "sessionId" uuid, "customerId" text, segment text, "chosenManufacturerId" text,
      "chosenRank" int, reasoning text, "importantFactors" text[], satisfaction int,
      "decisionTimeSeconds" float8, "learnedWeightsVersion" int, "learnedSampleSize" int,
      "learnedConfidence" float8, "customerChoiceNumber" int, "shownFactors" text, "requestHash" text)
  ), closed AS (
    UPDATE "MatchingFeedbackSession" s
    SET status = (CASE WHEN c."chosenRank" IS NULL THEN ''none_chosen'' ELSE ''chosen'' END)::"SessionStatus"
    FROM choice c
    WHERE s.id = c."sessionId"
  ), logged AS (
    INSERT INTO "CustomerChoice"
      ("sessionId", "customerId", segment, "chosenManufacturerId", "chosenRank", reasoning,
       "importantFactors", satisfaction, "decisionTimeSeconds", "learnedWeightsVersion", "learnedSampleSize",
       "learnedConfidence", "customerChoiceNumber", "shownFactors", "requestHash", "createdAt")
    SELECT c."sessionId", c."customerId", c.segment::"Segment", c."chosenManufacturerId", c."chosenRank",
           c.reasoning, c."importantFactors", c.satisfaction, c."decisionTimeSeconds",
           c."learnedWeightsVersion", c."learnedSampleSize", c."learnedConfidence", c."customerChoiceNumber",
           decode(c."shownFactors", ''base64''), c."requestHash", created_at
    FROM choice c
    ORDER BY c.position
    RETURNING "sessionId", sequence
  )
  SELECT logged."sessionId"::text, logged.sequence FROM logged\073
END ';
