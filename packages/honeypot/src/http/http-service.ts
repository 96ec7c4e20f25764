import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createConnectionLimiter } from '../limits/connection-limiter.js';
import { normaliseIp, validateListenConfig } from '../limits/guarded-server.js';
import { createSessionLog, type SessionLog } from '../log/session-log.js';
import type { LureProfile } from '../profiles/profile-types.js';
import type { RunningService, ServiceDeps } from '../service.js';
import { compileDetectors, type HttpRequestView } from './detect.js';
import { httpExploitEvent } from './http-events.js';
import { createRouteTable } from './route-response.js';

/** Configuration of {@link startHttpService}. */
export interface HttpServiceConfig {
  host: string;
  port: number;
  profile: LureProfile;
}

/** Longest body excerpt written into a `waggle.http.request` event. */
const LOGGED_BODY_MAX = 4096;

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Starts an HTTP lure: it answers like the vulnerable product of `profile`
 * (banner, pages, error pages), runs the profile's detectors on every request
 * and logs `waggle.http.request` and `waggle.http.exploit` events. It never
 * makes an outbound connection, whatever the request asks for; header size,
 * body size, connections per address and connection rate are capped by `deps.limits`.
 */
export async function startHttpService(config: HttpServiceConfig, deps: ServiceDeps): Promise<RunningService> {
  validateListenConfig(config, 'http');
  const { profile } = config;
  const detectors = compileDetectors(profile.http.detectors);
  const routes = createRouteTable(profile.http);
  const limiter = createConnectionLimiter(deps.limits, () => deps.now().getTime());
  const sessions = new WeakMap<Socket, SessionLog>();
  const sockets = new Set<Socket>();
  let total = 0;
  let rejected = 0;

  const respond = (req: IncomingMessage, res: ServerResponse, method: string, url: string): void => {
    const q = url.indexOf('?');
    const route = routes.match(method, q < 0 ? url : url.slice(0, q));
    const headers: Record<string, string> = { ...profile.http.headers, ...route.headers };
    if (profile.http.server_header !== '') headers.Server = profile.http.server_header;
    headers['Content-Length'] = String(Buffer.byteLength(route.body));
    res.writeHead(route.status, headers);
    res.end(method === 'HEAD' ? undefined : route.body);
  };

  const server = createServer({ maxHeaderSize: Math.min(Math.max(deps.limits.maxInputBytes, 1024), 65_536), requestTimeout: deps.limits.idleTimeoutMs, headersTimeout: Math.min(deps.limits.idleTimeoutMs, 60_000) }, (req, res) => {
    const log = sessions.get(req.socket);
    if (log === undefined) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > deps.limits.maxUploadBytes) {
        log.emit('waggle.input.truncated', { limit: deps.limits.maxUploadBytes });
        req.socket.destroy();
        return;
      }
      const room = deps.limits.maxInputBytes - (size - chunk.length);
      if (room > 0) chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
      if (room < chunk.length) truncated = true;
    });
    req.on('end', () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = req.url ?? '/';
      const headers = flatHeaders(req);
      const body = Buffer.concat(chunks).toString('latin1');
      const view: HttpRequestView = { method, url, headers, body };
      if (truncated) log.emit('waggle.input.truncated', { limit: deps.limits.maxInputBytes });
      const q = url.indexOf('?');
      log.emit('waggle.http.request', {
        method,
        url,
        headers,
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        user_agent: headers['user-agent'] ?? '',
        body: body.slice(0, LOGGED_BODY_MAX),
        body_size: size,
        body_truncated: truncated || body.length > LOGGED_BODY_MAX,
        profile: profile.name,
      });
      for (const match of detectors.detect(view)) deps.sink.write(httpExploitEvent(log.envelope, deps.now(), profile.name, match, method, url));
      respond(req, res, method, url);
    });
    req.on('error', () => undefined);
  });

  server.on('connection', (socket: Socket) => {
    const envelope = {
      session: deps.sessionId(),
      src_ip: normaliseIp(socket.remoteAddress ?? ''),
      src_port: socket.remotePort ?? 0,
      dst_ip: normaliseIp(socket.localAddress ?? config.host),
      dst_port: socket.localPort ?? config.port,
      sensor: deps.sensor,
      protocol: 'http',
    };
    socket.on('error', () => undefined);
    const admission = limiter.admit(envelope.src_ip);
    const log = createSessionLog(deps, envelope);
    if (!admission.ok) {
      rejected += 1;
      log.emit('waggle.session.rejected', { reason: admission.reason });
      socket.destroy();
      return;
    }
    total += 1;
    sockets.add(socket);
    sessions.set(socket, log);
    log.emit('cowrie.session.connect', {});
    const sessionTimer = setTimeout(() => socket.destroy(), deps.limits.sessionTimeoutMs);
    sessionTimer.unref();
    socket.once('close', () => {
      clearTimeout(sessionTimer);
      sockets.delete(socket);
      admission.release();
      log.emit('cowrie.session.closed', { duration: log.elapsed() });
    });
  });
  server.on('clientError', (err: Error & { code?: string }, socket) => {
    const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
    if (tooBig) sessions.get(socket as Socket)?.emit('waggle.input.truncated', { limit: deps.limits.maxInputBytes });
    if (socket.writable) socket.end(tooBig ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.keepAliveTimeout = Math.min(deps.limits.idleTimeoutMs, 5_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: config.host, port: config.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : config.port;
  return {
    protocol: 'http',
    host: config.host,
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
