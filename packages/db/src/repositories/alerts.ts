import type { Alert, AlertRule, AlertsInput, Segment } from '@matchloop/schemas';
import { type Alert as AlertRow, Prisma, type PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './prisma-errors';

export interface NewAlert {
  readonly rule: AlertRule;
  readonly segment: Segment | null;
  readonly value: number;
  readonly threshold: number;
  readonly sampleSize: number;
  readonly message: string;
}

/**
 * Stores a newly firing alert, or returns null when one for the same rule and segment is already firing:
 * the unique firing key makes this safe when several servers evaluate the same breach at once, as exactly
 * one of them gets the row (and sends its notification).
 */
export async function raiseAlert(
  prisma: PrismaClient,
  alert: NewAlert,
  raisedAt: Date,
): Promise<Alert | null> {
  try {
    const row = await prisma.alert.create({
      data: { ...alert, status: 'firing', firingKey: firingKey(alert), raisedAt },
    });
    return toAlert(row);
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Marks a firing alert resolved; null when it was not firing any more (another server resolved it). */
export async function resolveAlert(
  prisma: PrismaClient,
  id: string,
  resolvedValue: number,
  resolvedAt: Date,
): Promise<Alert | null> {
  const { count } = await prisma.alert.updateMany({
    where: { id, status: 'firing' },
    data: { status: 'resolved', firingKey: null, resolvedAt, resolvedValue },
  });
  if (count === 0) return null;
  const row = await prisma.alert.findUniqueOrThrow({ where: { id } });
  return toAlert(row);
}

/** Alerts, newest first. */
export async function listAlerts(prisma: PrismaClient, { status, limit }: AlertsInput): Promise<Alert[]> {
  const rows = await prisma.alert.findMany({
    where: status ? { status } : {},
    orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map(toAlert);
}

export async function firingAlerts(prisma: PrismaClient): Promise<Alert[]> {
  const rows = await prisma.alert.findMany({ where: { status: 'firing' }, orderBy: { raisedAt: 'desc' } });
  return rows.map(toAlert);
}

export interface ConfidenceHistory {
  /** When the earliest of the segment's sessions that ended in a choice started; null before any choice. */
  readonly firstChoiceAt: Date | null;
  /** The last choice since `since` that left the segment's confidence at or above the threshold. */
  readonly lastConfidentAt: Date | null;
}

/**
 * What the choice log says about each segment's learning confidence over a recent period. Every choice
 * stores the confidence its segment had once the choice was learned from, so the log is the history. Both
 * look-ups stay cheap on a long log: the first through the sessions' (segment, createdAt) index, stopping at
 * the first hit, the last through the choices' createdAt index, reading only the period.
 */
export async function confidenceHistory(
  prisma: PrismaClient,
  segments: readonly Segment[],
  threshold: number,
  since: Date,
): Promise<Map<Segment, ConfidenceHistory>> {
  if (segments.length === 0) return new Map();
  const rows = await prisma.$queryRaw<
    { segment: Segment; firstChoiceAt: Date | null; lastConfidentAt: Date | null }[]
  >`
    SELECT scope.segment::text AS segment, first_choice."createdAt" AS "firstChoiceAt",
           last_confident."createdAt" AS "lastConfidentAt"
    FROM unnest(ARRAY[${Prisma.join(segments)}]::"Segment"[]) AS scope(segment)
    LEFT JOIN LATERAL (
      SELECT s."createdAt" FROM "MatchingFeedbackSession" s
      WHERE s.segment = scope.segment AND EXISTS (SELECT 1 FROM "CustomerChoice" c WHERE c."sessionId" = s.id)
      ORDER BY s."createdAt" LIMIT 1
    ) AS first_choice ON TRUE
    LEFT JOIN LATERAL (
      SELECT MAX(c."createdAt") AS "createdAt" FROM "CustomerChoice" c
      JOIN "MatchingFeedbackSession" s ON s.id = c."sessionId"
      WHERE s.segment = scope.segment AND c."createdAt" >= ${since} AND c."learnedConfidence" >= ${threshold}
    ) AS last_confident ON TRUE`;
  return new Map(
    rows.map(({ segment, firstChoiceAt, lastConfidentAt }) => [segment, { firstChoiceAt, lastConfidentAt }]),
  );
}

function firingKey({ rule, segment }: Pick<NewAlert, 'rule' | 'segment'>): string {
  return `${rule}:${segment ?? 'all'}`;
}

function toAlert({ firingKey: _, ...alert }: AlertRow): Alert {
  return alert;
}
