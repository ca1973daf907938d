-- A recommendation's explanation is a function of what the row and its session already hold: the factor
-- scores, the rank, and the session's weights and segment. It is rebuilt from them when read, as its
-- contributions already were. Stored, its words were a fifth of each session's statement and some 1.1 KB of
-- every session's storage, read by nothing but the answer to a retried start.

-- AlterTable
ALTER TABLE "MatchingRecommendation" DROP COLUMN "explanation";
