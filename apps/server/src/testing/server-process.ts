import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { createInterface } from 'node:readline';

const BIN = new URL('../../bin/matchloop.mjs', import.meta.url).pathname;

export interface ServerProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops the server and waits until the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `matchloop serve` in its own process, as an operator runs it, on a free port. Resolves once the server
 * logs where it listens.
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(BIN, ['serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const url = line.match(/listening on (http:\/\/[^\s,]+)/)?.[1];
      if (!url) return;
      resolve({
        url,
        process: child,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`matchloop serve exited with ${code}: ${stderr.join('')}`)),
    );
  });
}

/**
 * A port of 127.0.0.1 no one listens on now: for a server to take, or, unused, an address whose connections
 * are refused at once. Another process could take it first, but nothing in these tests will.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
