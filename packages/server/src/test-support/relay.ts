import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP relay to `port` that, while `cut` is set, drops each connection after `cut` response bytes. */
export async function startRelay(port: number): Promise<{ port: number; cut: number | undefined; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = {
    port: 0,
    cut: undefined as number | undefined,
    close: async (): Promise<void> => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      if (relay.cut !== undefined && sent + d.length > relay.cut) {
        client.write(d.subarray(0, Math.max(0, relay.cut - sent)));
        client.destroy();
        upstream.destroy();
        return;
      }
      sent += d.length;
      client.write(d);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  relay.port = (server.address() as { port: number }).port;
  return relay;
}
