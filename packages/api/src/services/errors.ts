import { TRPCError } from '@trpc/server';

export function sessionNotFound(sessionId: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `No session ${sessionId}` });
}

export function manufacturerNotShown(manufacturerId: string, sessionId: string): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `Manufacturer ${manufacturerId} was not shown in session ${sessionId}`,
  });
}

/**
 * Whether a caller acting for `customer` (null: for every customer) may touch a session of
 * `sessionCustomer`. Another customer's session is answered as unknown, so a key cannot even learn it exists.
 */
export function mayActOnSession(customer: string | null, sessionCustomer: string): boolean {
  return customer === null || customer === sessionCustomer;
}

export function idReusedForDifferentRequest(what: string, id: string): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `${what} ${id} was already recorded with different content; the first one stands`,
  });
}
