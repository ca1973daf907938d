import { Prisma } from '../generated/prisma/client';

/** True when a write lost a race on a unique key: the row it meant to create already exists. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
