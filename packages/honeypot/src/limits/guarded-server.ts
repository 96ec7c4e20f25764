import { createServer, type Server, type Socket } from 'node:net';
import { InputError } from '@waggle/errors';
import { createSessionLog, type SessionLog } from '../log/session-log.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { createConnectionLimiter } from './connection-limiter.js';

/** Where a service listens. */
export interface ListenConfig {
  /** Address to bind; nothing else is ever bound. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
}

/** Options of {@link startGuardedServer}. */
export interface GuardedServerOptions extends ListenConfig {
  protocol: string;
  deps: ServiceDeps;
  /** Handles one admitted connection; its `session.closed` event is written when the socket closes. */
  onSession(socket: Socket, log: SessionLog): void;
}

/** Checks a listen configuration, reporting every problem at once. */
export function validateListenConfig(config: ListenConfig, protocol: string): void {
  const problems: string[] = [];
  if (typeof config.host !== 'string' || config.host.length === 0) problems.push('host must be a non-empty address');
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535) {
    problems.push('port must be an integer between 0 and 65535');
  }
  if (problems.length > 0) throw new InputError(`invalid ${protocol} listen configuration: ${problems.join('; ')}`, { problems });
}

/**
 * Starts a TCP listener that applies the connection limits, idle and session timeouts, writes
 * `cowrie.session.connect` / `cowrie.session.closed` for each admitted session and
 * `waggle.session.rejected` for refused ones, and hands admitted sockets to `onSession`.
 */
export async function startGuardedServer(options: GuardedServerOptions): Promise<RunningService> {
  validateListenConfig(options, options.protocol);
  const { deps, protocol } = options;
  const limiter = createConnectionLimiter(deps.limits, () => deps.now().getTime());
  const sockets = new Set<Socket>();
  let total = 0;
  let rejected = 0;
  let port = options.port;

  const server: Server = createServer({ pauseOnConnect: false }, (socket) => {
    const src_ip = normaliseIp(socket.remoteAddress ?? '');
    const envelope = {
      session: deps.sessionId(),
      src_ip,
      src_port: socket.remotePort ?? 0,
      dst_ip: normaliseIp(socket.localAddress ?? options.host),
      dst_port: socket.localPort ?? port,
      sensor: deps.sensor,
      protocol,
    };
    socket.on('error', () => undefined);
    const admission = limiter.admit(src_ip);
    if (!admission.ok) {
      rejected += 1;
      createSessionLog(deps, envelope).emit('waggle.session.rejected', { reason: admission.reason });
      socket.destroy();
      return;
    }
    total += 1;
    sockets.add(socket);
    const log = createSessionLog(deps, envelope);
    log.emit('cowrie.session.connect', {});
    socket.setTimeout(deps.limits.idleTimeoutMs, () => socket.destroy());
    const sessionTimer = setTimeout(() => socket.destroy(), deps.limits.sessionTimeoutMs);
    sessionTimer.unref();
    socket.once('close', () => {
      clearTimeout(sessionTimer);
      sockets.delete(socket);
      admission.release();
      log.emit('cowrie.session.closed', { duration: log.elapsed() });
    });
    try {
      options.onSession(socket, log);
    } catch {
      socket.destroy();
    }
  });
  server.maxConnections = deps.limits.maxConnections * 2;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const address = server.address();
  if (address !== null && typeof address === 'object') port = address.port;

  return {
    protocol,
    host: options.host,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const waits = [...sockets].map((s) => new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      }));
      await Promise.all([closed, ...waits]);
    },
    stats: () => ({ active: limiter.active(), total, rejected }),
  };
}

/** Cowrie logs IPv4 peers without the `::ffff:` prefix of dual-stack sockets. */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
