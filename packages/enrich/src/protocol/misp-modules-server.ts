import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ModuleRegistry } from '../registry.js';
import { answerQuery, moduleList } from './misp-modules.js';

/** Options of {@link startMispModulesServer}. */
export interface MispModulesServerOptions {
  readonly registry: ModuleRegistry;
  readonly host: string;
  /** 0 picks a free port. misp-modules listens on 6666. */
  readonly port: number;
  /** Largest query body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
}

/** A listening misp-modules server. */
export interface MispModulesServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, json: unknown): void {
  const text = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: MispModulesServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/modules') return send(res, 200, moduleList(options.registry));
  if (req.method === 'GET' && path === '/healthcheck') return send(res, 200, { status: true });
  if (path !== '/query') return send(res, 404, { error: `no route ${String(req.method)} ${String(path)}; use GET /modules or POST /query` });
  if (req.method !== 'POST') return send(res, 405, { error: 'use POST /query' });
  const text = await readBody(req, options.maxBodyBytes ?? 1024 * 1024);
  if (text === undefined) return send(res, 413, { error: 'the query is too large' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return send(res, 400, { error: `the query is not JSON: ${(e as Error).message}` });
  }
  // misp-modules answers module-level problems with 200 and an `error` key, which is what MISP reads.
  send(res, 200, await answerQuery(options.registry, body));
}

/**
 * Serves the misp-modules HTTP protocol (`GET /modules`, `POST /query`,
 * `GET /healthcheck`) so a MISP instance can use waggle's modules as
 * expansion and hover modules.
 */
export async function startMispModulesServer(options: MispModulesServerOptions): Promise<MispModulesServer> {
  const server: Server = createServer((req, res) => {
    handle(req, res, options).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${String(port)}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
