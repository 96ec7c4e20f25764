import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWaggleError } from '@waggle/errors';
import { parseFlowRecord } from '../chunks/feedback.js';
import { startScoreWorker } from './score-worker.js';
import { readRegistry } from '../registry/model-registry.js';

/** Where to listen and what to serve. */
export interface DetectServerOptions {
  readonly modelDir: string;
  readonly host: string;
  readonly port: number;
  /** Largest accepted request body in bytes (default 32 MiB). */
  readonly maxBodyBytes?: number;
}

/** A running scoring server. */
export interface DetectServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const STATUS: Readonly<Record<string, number>> = { invalid_input: 400, not_found: 404, too_large: 413, unavailable: 503 };

async function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpProblem(413, `request body exceeds ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves the current model version over HTTP: `POST /score` with `{"flows": [...]}`
 * (or a bare array) answers `{version, scores}`; `GET /model` answers the version,
 * combiner and metrics. Scoring runs on a worker thread, so the event loop stays free.
 */
export async function startDetectServer(options: DetectServerOptions): Promise<DetectServer> {
  // Fail fast (and before a thread starts) when the folder holds no model.
  await readRegistry(options.modelDir);
  const worker = startScoreWorker(options.modelDir);
  let info;
  try {
    info = await worker.info();
  } catch (error) {
    await worker.close();
    throw error;
  }
  const max = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/model' && req.method === 'GET') return send(res, 200, await worker.info());
        if (path === '/score' && req.method === 'POST') {
          const body = await readBody(req, max);
          const list = Array.isArray(body) ? body : (body as { flows?: unknown } | null)?.flows;
          if (!Array.isArray(list)) throw new HttpProblem(400, 'expected {"flows": [flow records]} or an array of flow records');
          const flows = list.map((f, i) => parseFlowRecord(f, `flows[${i}]`, false));
          const scores = await worker.score(flows);
          return send(res, 200, { version: info.version, scores: Array.from(scores) });
        }
        if (path === '/score' || path === '/model') throw new HttpProblem(405, `${req.method ?? ''} is not allowed on ${path}`);
        throw new HttpProblem(404, `no route ${path ?? ''}`);
      } catch (error) {
        const status = error instanceof HttpProblem ? error.status : isWaggleError(error) ? (STATUS[error.code] ?? 500) : 500;
        send(res, status, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  }).catch(async (error: unknown) => {
    await worker.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.close();
    },
  };
}
