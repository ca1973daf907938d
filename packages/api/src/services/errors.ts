import { TRPCError } from '@trpc/server';

export function sessionNotFound(sessionId: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `No session ${sessionId}` });
}

export function idReusedForDifferentRequest(what: string, id: string): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `${what} ${id} was already recorded with different content; the first one stands`,
  });
}
