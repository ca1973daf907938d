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

/** A live server on PGlite, and a fault-injecting proxy in front of it. */
export async function startServerBehindProxy(): Promise<ServerBehindProxy> {
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
