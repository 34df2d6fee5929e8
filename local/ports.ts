import type { Server as HttpServer } from 'node:http';
import net from 'node:net';
import { LocalStackError, portInUseMessage } from './settings';

export interface PortClaim {
  port: number;
  /** The environment variable that moves it, named in the error. */
  env: string;
}

/**
 * Fails with a one-line LocalStackError when a port is taken, before anything starts, so that a
 * second `npm start` does not leave half a stack running. Port 0 (ephemeral) is always free.
 */
export async function assertPortsFree(host: string, claims: PortClaim[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const { port, env } of claims) {
    if (port === 0) continue;
    const other = seen.get(port);
    if (other)
      throw new LocalStackError(`${other} and ${env} are both ${port} — set ${env} to another port.`);
    seen.set(port, env);
  }
  for (const claim of claims) await assertPortFree(host, claim);
}

async function assertPortFree(host: string, { port, env }: PortClaim): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await listenOn(probe, host, { port, env });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Listens and resolves with the bound port; a bind error becomes a one-line LocalStackError. */
export function listenOn(
  server: net.Server | HttpServer,
  host: string,
  { port, env }: PortClaim,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new LocalStackError(portInUseMessage(port, env)));
      else if (error.code === 'EACCES') {
        reject(new LocalStackError(`Port ${port} needs privileges — set ${env} to a port above 1023.`));
      } else
        reject(
          new LocalStackError(
            `Cannot listen on ${host}:${port} (${error.code ?? error.message}) — check ${env}.`,
          ),
        );
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/** Closes a server, ending idle keep-alive connections at once and busy ones after a short grace. */
export function closeServer(server: net.Server | HttpServer, graceMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const http = server as HttpServer;
    const timer = setTimeout(() => http.closeAllConnections?.(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}
