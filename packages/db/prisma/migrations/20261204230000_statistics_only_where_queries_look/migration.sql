-- The planner needs statistics only on the columns that queries find, join, filter, group or sort rows by.
-- On the event tables every other column is stored and returned, never looked at, yet each ANALYZE sorted its
-- sample of it: autovacuum analyzes these tables as they grow, and its 0.3 to 0.4 s of CPU per table fell on
-- the cores answering the marketplace. A target of zero keeps a column out of ANALYZE (no semicolons in these
-- comments: the driver adapter splits a migration into statements at each one).

ALTER TABLE "MatchingFeedbackSession"
  ALTER COLUMN "segmentSource" SET STATISTICS 0,
  ALTER COLUMN "complexityScore" SET STATISTICS 0,
  ALTER COLUMN "preferences" SET STATISTICS 0,
  ALTER COLUMN "algorithmVersion" SET STATISTICS 0,
  ALTER COLUMN "weightsVersion" SET STATISTICS 0,
  ALTER COLUMN "weightsConfidence" SET STATISTICS 0,
  ALTER COLUMN "weights" SET STATISTICS 0,
  ALTER COLUMN "order" SET STATISTICS 0,
  ALTER COLUMN "status" SET STATISTICS 0,
  ALTER COLUMN "metadata" SET STATISTICS 0,
  ALTER COLUMN "requestHash" SET STATISTICS 0;

ALTER TABLE "MatchingRecommendation"
  ALTER COLUMN "manufacturerId" SET STATISTICS 0,
  ALTER COLUMN "score" SET STATISTICS 0,
  ALTER COLUMN "predictedChoiceProbability" SET STATISTICS 0,
  ALTER COLUMN "cost" SET STATISTICS 0,
  ALTER COLUMN "quality" SET STATISTICS 0,
  ALTER COLUMN "speed" SET STATISTICS 0,
  ALTER COLUMN "proximity" SET STATISTICS 0,
  ALTER COLUMN "capability" SET STATISTICS 0,
  ALTER COLUMN "reliability" SET STATISTICS 0,
  ALTER COLUMN "explanation" SET STATISTICS 0;

ALTER TABLE "CustomerChoice"
  ALTER COLUMN "chosenManufacturerId" SET STATISTICS 0,
  ALTER COLUMN "reasoning" SET STATISTICS 0,
  ALTER COLUMN "importantFactors" SET STATISTICS 0,
  ALTER COLUMN "satisfaction" SET STATISTICS 0,
  ALTER COLUMN "decisionTimeSeconds" SET STATISTICS 0,
  ALTER COLUMN "outcome" SET STATISTICS 0,
  ALTER COLUMN "outcomeRecordedAt" SET STATISTICS 0,
  ALTER COLUMN "learnedWeightsVersion" SET STATISTICS 0,
  ALTER COLUMN "learnedSampleSize" SET STATISTICS 0,
  ALTER COLUMN "customerChoiceNumber" SET STATISTICS 0,
  ALTER COLUMN "shownFactors" SET STATISTICS 0,
  ALTER COLUMN "requestHash" SET STATISTICS 0;

ALTER TABLE "RecommendationInteraction"
  ALTER COLUMN "manufacturerId" SET STATISTICS 0,
  ALTER COLUMN "timeSpentSeconds" SET STATISTICS 0,
  ALTER COLUMN "viewedExplanationLevel" SET STATISTICS 0,
  ALTER COLUMN "expandedSections" SET STATISTICS 0,
  ALTER COLUMN "helpfulRating" SET STATISTICS 0,
  ALTER COLUMN "requestHash" SET STATISTICS 0;
