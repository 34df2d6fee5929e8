import net from 'node:net';

/**
 * pass: bytes flow both ways · refuse: nothing listens (connections are refused) · hang: connections
 * are accepted and what is sent is read, but nothing ever comes back.
 */
export type FaultMode = 'pass' | 'refuse' | 'hang';

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the client under test in place of the emulator's endpoint. */
  endpoint: string;
  readonly mode: FaultMode;
  /** Connections accepted since the proxy started (in any mode): a client that fails fast opens none. */
  readonly connections: number;
  /** Switches the mode; connections open until now are cut, so that pooled sockets see the new mode too. */
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy in front of an emulator (dynalite, s3rver, …), whose faults a test switches at runtime. */
export async function startFaultProxy(target: string, mode: FaultMode = 'pass'): Promise<FaultProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<net.Socket>();
  let current: FaultMode = mode;
  let connections = 0;

  const server = net.createServer((client) => {
    connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (current === 'hang') {
      client.resume(); // read and drop: the request is sent, the answer never comes
      return;
    }
    const upstream = net.connect(Number(targetPort), hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  // The port is taken in every mode but refuse, which gives it back (and takes it again for pass or hang).
  const port = await listen(0);
  if (mode === 'refuse') await stopListening();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get mode() {
      return current;
    },
    get connections() {
      return connections;
    },
    async setMode(next) {
      current = next;
      cutAll();
      if (next === 'refuse') await stopListening();
      else if (!server.listening) await listen(port);
    },
    async close() {
      cutAll();
      await stopListening();
    },
  };
}
