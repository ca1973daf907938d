import type { MatchloopClient } from '@matchloop/sdk';
import { createContext, type ReactNode, useContext } from 'react';

const MatchloopClientContext = createContext<MatchloopClient | null>(null);

/** Gives the signed-in operator's client to every query below it. */
export function MatchloopClientProvider({
  client,
  children,
}: {
  client: MatchloopClient;
  children: ReactNode;
}) {
  return <MatchloopClientContext.Provider value={client}>{children}</MatchloopClientContext.Provider>;
}

export function useMatchloopClient(): MatchloopClient {
  const client = useContext(MatchloopClientContext);
  if (!client) throw new Error('useMatchloopClient must be used inside <MatchloopClientProvider>');
  return client;
}
