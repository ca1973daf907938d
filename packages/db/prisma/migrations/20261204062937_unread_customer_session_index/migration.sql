-- DropIndex
DROP INDEX "MatchingFeedbackSession_customerId_createdAt_idx";
