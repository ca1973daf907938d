-- CreateEnum
CREATE TYPE "Segment" AS ENUM ('price_sensitive', 'quality_focused', 'speed_priority', 'local_preference', 'premium_buyer', 'balanced');

-- CreateEnum
CREATE TYPE "SegmentSource" AS ENUM ('rules', 'behavior');

-- CreateEnum
CREATE TYPE "Complexity" AS ENUM ('simple', 'moderate', 'complex', 'highly_complex');

-- CreateEnum
CREATE TYPE "WeightsSource" AS ENUM ('default', 'blended', 'learned');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('open', 'chosen', 'none_chosen');

-- CreateEnum
CREATE TYPE "InteractionType" AS ENUM ('viewed', 'expanded', 'compared', 'contacted');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('ingest', 'read', 'admin');

-- CreateTable
CREATE TABLE "MatchingFeedbackSession" (
    "id" UUID NOT NULL,
    "customerId" TEXT NOT NULL,
    "segment" "Segment" NOT NULL,
    "segmentSource" "SegmentSource" NOT NULL,
    "complexity" "Complexity",
    "complexityScore" DOUBLE PRECISION,
    "preferences" JSONB,
    "algorithmVersion" TEXT,
    "weightsVersion" INTEGER NOT NULL,
    "weightsSource" "WeightsSource" NOT NULL,
    "weightsConfidence" DOUBLE PRECISION NOT NULL,
    "weights" JSONB NOT NULL,
    "order" TEXT NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'open',
    "metadata" JSONB,
    "requestHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchingFeedbackSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchingRecommendation" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "manufacturerId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "predictedChoiceProbability" DOUBLE PRECISION NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL,
    "quality" DOUBLE PRECISION NOT NULL,
    "speed" DOUBLE PRECISION NOT NULL,
    "proximity" DOUBLE PRECISION NOT NULL,
    "capability" DOUBLE PRECISION NOT NULL,
    "reliability" DOUBLE PRECISION NOT NULL,
    "explanation" JSONB NOT NULL,

    CONSTRAINT "MatchingRecommendation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerChoice" (
    "sequence" BIGSERIAL NOT NULL,
    "sessionId" UUID NOT NULL,
    "chosenManufacturerId" TEXT,
    "chosenRank" INTEGER,
    "reasoning" TEXT,
    "importantFactors" TEXT[],
    "satisfaction" INTEGER,
    "decisionTimeSeconds" DOUBLE PRECISION,
    "outcome" TEXT,
    "outcomeRecordedAt" TIMESTAMPTZ(3),
    "learnedWeightsVersion" INTEGER NOT NULL,
    "learnedSampleSize" INTEGER NOT NULL,
    "learnedConfidence" DOUBLE PRECISION NOT NULL,
    "customerChoiceNumber" INTEGER NOT NULL,
    "shownFactors" BYTEA NOT NULL,
    "requestHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerChoice_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "LearningWeights" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "choiceSequence" BIGINT NOT NULL,
    "weights" JSONB NOT NULL,
    "posterior" JSONB NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "metrics" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LearningWeights_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecommendationInteraction" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "manufacturerId" TEXT NOT NULL,
    "interactionType" "InteractionType" NOT NULL,
    "timeSpentSeconds" DOUBLE PRECISION,
    "viewedExplanationLevel" TEXT,
    "expandedSections" TEXT[],
    "helpfulRating" INTEGER,
    "requestHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationInteraction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "secretHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MatchingFeedbackSession_createdAt_idx" ON "MatchingFeedbackSession"("createdAt");

-- CreateIndex
CREATE INDEX "MatchingFeedbackSession_customerId_createdAt_idx" ON "MatchingFeedbackSession"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "MatchingFeedbackSession_segment_createdAt_idx" ON "MatchingFeedbackSession"("segment", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MatchingRecommendation_sessionId_manufacturerId_key" ON "MatchingRecommendation"("sessionId", "manufacturerId");

-- CreateIndex
CREATE UNIQUE INDEX "MatchingRecommendation_sessionId_rank_key" ON "MatchingRecommendation"("sessionId", "rank");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerChoice_sessionId_key" ON "CustomerChoice"("sessionId");

-- CreateIndex
CREATE INDEX "CustomerChoice_createdAt_idx" ON "CustomerChoice"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LearningWeights_scope_version_key" ON "LearningWeights"("scope", "version");

-- CreateIndex
CREATE INDEX "RecommendationInteraction_sessionId_idx" ON "RecommendationInteraction"("sessionId");

-- CreateIndex
CREATE INDEX "RecommendationInteraction_createdAt_idx" ON "RecommendationInteraction"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- AddForeignKey
ALTER TABLE "MatchingRecommendation" ADD CONSTRAINT "MatchingRecommendation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "MatchingFeedbackSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerChoice" ADD CONSTRAINT "CustomerChoice_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "MatchingFeedbackSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommendationInteraction" ADD CONSTRAINT "RecommendationInteraction_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "MatchingFeedbackSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;
