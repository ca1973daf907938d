import { afterAll, beforeAll } from 'vitest';
// A relative import, not a dependency: @matchloop/server depends on this package (see retry.test.ts).
import { startTestServer, type TestServer } from '../../../../apps/server/src/testing/test-server';
import { type FaultInjectingProxy, startFaultInjectingProxy } from './fault-injecting-proxy';

export interface ServerBehindProxy {
  readonly server: TestServer;
  /** What clients under test talk to: it forwards to `server`, or fails requests as told. */
  readonly proxy: FaultInjectingProxy;
  /** Stops the proxy, then the server. */
  close(): Promise<void>;
}

/**
 * For the suite it is called in: a live server on PGlite and a fault-injecting proxy in front of it, handed
 * to `started` before the suite's first test and stopped after its last.
 */
export function serverBehindProxyForSuite(started: (live: ServerBehindProxy) => void): void {
  let live: ServerBehindProxy | undefined;
  beforeAll(async () => {
    live = await startServerBehindProxy();
    started(live);
  });
  afterAll(() => live?.close());
}

async function startServerBehindProxy(): Promise<ServerBehindProxy> {
  const server = await startTestServer('pglite');
  try {
    const proxy = await startFaultInjectingProxy(server.url);
    return {
      server,
      proxy,
      async close() {
        await proxy.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
