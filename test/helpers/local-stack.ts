import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type LocalStackOptions, startLocalStack } from '../../local/stack';

/** A fresh temporary directory and a function that removes it (for a DATA_DIR). */
export async function makeTempDir(
  prefix = 'contact-screening-',
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * `count` distinct ports that were free a moment ago on 127.0.0.1: all are held open together
 * before being released, so they differ from one another.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => occupyPort()));
  await Promise.all(servers.map(({ close }) => close()));
  return servers.map(({ port }) => port);
}

/** Holds a port on 127.0.0.1 (an ephemeral one unless given) until `close()`. */
export function occupyPort(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Polls `url` until it answers `status`, or fails after `timeoutMs`. */
export async function waitForStatus(
  url: string,
  status: number,
  { timeoutMs = 30_000, stopIf }: { timeoutMs?: number; stopIf?: () => string | undefined } = {},
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const reason = stopIf?.();
    if (reason) throw new Error(`gave up waiting for ${url}: ${reason}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === status) return response;
      last = `status ${response.status}`;
      await response.arrayBuffer();
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/**
 * The local stack for a test: every port ephemeral, a fresh data directory, no demo register
 * unless asked. `stop()` stops it and removes the directory.
 */
export async function startTestStack(prefix: string, options: LocalStackOptions = {}) {
  const data = await makeTempDir(prefix);
  const stack = await startLocalStack({
    port: 0,
    smtpPort: 0,
    sesPort: 0,
    dynamodbPort: 0,
    s3Port: 0,
    eventbridgePort: 0,
    dataDir: data.dir,
    seed: false,
    ...options,
  });
  return {
    stack,
    dataDir: data.dir,
    stop: async () => {
      await stack.stop();
      await data.remove();
    },
  };
}
