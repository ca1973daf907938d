-- CreateEnum
CREATE TYPE "AlertRule" AS ENUM ('low_conversion', 'high_chosen_rank', 'low_learning_confidence', 'low_satisfaction');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('firing', 'resolved');

-- CreateTable
CREATE TABLE "Alert" (
    "id" UUID NOT NULL,
    "rule" "AlertRule" NOT NULL,
    "segment" "Segment",
    "status" "AlertStatus" NOT NULL DEFAULT 'firing',
    "firingKey" TEXT,
    "value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedValue" DOUBLE PRECISION,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Alert_firingKey_key" ON "Alert"("firingKey");

-- CreateIndex
CREATE INDEX "Alert_raisedAt_idx" ON "Alert"("raisedAt");
