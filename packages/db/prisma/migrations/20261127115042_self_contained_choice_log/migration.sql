-- The choice log carries each choice's customer and segment, so replaying it reads one table.
-- Edited by hand: existing choices take them from their session before the columns become required.

-- AlterTable
ALTER TABLE "CustomerChoice" ADD COLUMN     "customerId" TEXT,
ADD COLUMN     "segment" "Segment";

-- Backfill
UPDATE "CustomerChoice" c SET "customerId" = s."customerId", "segment" = s."segment"
FROM "MatchingFeedbackSession" s WHERE s."id" = c."sessionId";

-- AlterTable
ALTER TABLE "CustomerChoice" ALTER COLUMN "customerId" SET NOT NULL,
ALTER COLUMN "segment" SET NOT NULL;

-- CreateIndex
CREATE INDEX "CustomerChoice_customerId_sequence_idx" ON "CustomerChoice"("customerId", "sequence");
