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
  /** When the segment's first choice was logged; null before any choice. */
  readonly firstChoiceAt: Date | null;
  /** The last choice since `since` that left the segment's confidence at or above the threshold. */
  readonly lastConfidentAt: Date | null;
}

/**
 * What the choice log says about each segment's learning confidence over a recent period. Every choice
 * stores its segment and the confidence the segment had once the choice was learned from, so the log is the
 * history, and its (segment, createdAt, learnedConfidence) index answers both look-ups for one segment at a
 * time without reading the choices: the first choice is the segment's first entry, and the last confident
 * one is found among no more than the segment's own entries of the period.
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
    SELECT scope.segment::text AS segment,
           (SELECT MIN(c."createdAt") FROM "CustomerChoice" c WHERE c.segment = scope.segment) AS "firstChoiceAt",
           (SELECT MAX(c."createdAt") FROM "CustomerChoice" c
            WHERE c.segment = scope.segment AND c."createdAt" >= ${since} AND c."learnedConfidence" >= ${threshold}
           ) AS "lastConfidentAt"
    FROM unnest(ARRAY[${Prisma.join(segments)}]::"Segment"[]) AS scope(segment)`;
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
