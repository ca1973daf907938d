-- DropIndex
DROP INDEX "CustomerChoice_createdAt_idx";

-- CreateIndex
CREATE INDEX "CustomerChoice_segment_createdAt_learnedConfidence_idx" ON "CustomerChoice"("segment", "createdAt", "learnedConfidence");
