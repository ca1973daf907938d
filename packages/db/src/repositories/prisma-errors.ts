import { Prisma } from '../generated/prisma/client';

/**
 * True when a write lost a race on a unique key: the row it meant to create already exists. Model writes
 * report it as P2002; raw statements as P2010, carrying the driver's own classification.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  const driverError = error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined;
  return error.code === 'P2010' && driverError?.cause?.kind === 'UniqueConstraintViolation';
}
