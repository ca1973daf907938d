-- A recommendation is keyed by its session and rank. The existing unique index on those columns becomes
-- the primary key as it is, so a large table is not indexed again, and the random id nobody reads goes.

-- AlterTable
ALTER TABLE "MatchingRecommendation" DROP CONSTRAINT "MatchingRecommendation_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "MatchingRecommendation_pkey" PRIMARY KEY USING INDEX "MatchingRecommendation_sessionId_rank_key";
