-- A round of choices is appended in one statement when the server has already read the log's end and folded
-- the choices: under the log's lock, the function appends them only if the log still ends where the server
-- read it, and otherwise appends nothing, for the server to try again under the lock in a transaction.
-- Being VOLATILE, each of its statements sees what was committed before it ran, the lock's previous holder's
-- choices included, which one statement taking the lock could not.
-- (Function bodies are E'' strings with every semicolon written \073, as the driver adapter splits scripts at each one.)

CREATE FUNCTION matchloop_append_choices(
  lock_key bigint, expected_log_end bigint, choices jsonb, created_at timestamptz
) RETURNS TABLE (logged_session_id text, logged_sequence bigint) VOLATILE LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key)\073
  IF (SELECT coalesce(max(log.sequence), 0) FROM "CustomerChoice" log) <> expected_log_end THEN
    RETURN\073
  END IF\073
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
