-- A session's recommendations are written only with the session, in its statement or transaction, so the
-- foreign key's lookup of the session for each of them, and the index that kept a session's manufacturers
-- distinct (input validation refuses a repeated one), are work every session opened paid for nothing.

-- DropForeignKey
ALTER TABLE "MatchingRecommendation" DROP CONSTRAINT "MatchingRecommendation_sessionId_fkey";

-- DropIndex
DROP INDEX "MatchingRecommendation_sessionId_manufacturerId_key";
