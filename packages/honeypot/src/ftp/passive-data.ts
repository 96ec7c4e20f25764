import { createServer, type Server, type Socket } from 'node:net';
import { normaliseIp } from '../limits/guarded-server.js';

/** A passive-mode data listener waiting for the attacker's one data connection. */
export interface PassiveData {
  readonly port: number;
  /** Resolves with the data socket, or undefined when none arrived in time. */
  connection(): Promise<Socket | undefined>;
  close(): void;
}

/**
 * Opens a data listener on the control connection's local address. Only the control
 * connection's peer may connect (no FTP bounce), only once, and only within `timeoutMs`.
 */
export async function openPassiveData(host: string, peerIp: string, timeoutMs: number): Promise<PassiveData> {
  let resolveConn: (s: Socket | undefined) => void = () => undefined;
  const conn = new Promise<Socket | undefined>((r) => (resolveConn = r));
  let socket: Socket | undefined;
  const server: Server = createServer((s) => {
    s.on('error', () => undefined);
    if (socket !== undefined || normaliseIp(s.remoteAddress ?? '') !== peerIp) {
      s.destroy();
      return;
    }
    socket = s;
    server.close();
    clearTimeout(timer);
    resolveConn(s);
  });
  server.on('error', () => undefined);
  const timer = setTimeout(() => {
    server.close();
    resolveConn(undefined);
  }, timeoutMs);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => resolve());
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  return {
    port,
    connection: () => conn,
    close() {
      clearTimeout(timer);
      server.close();
      socket?.destroy();
      resolveConn(undefined);
    },
  };
}
