import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError, isWaggleError, type Secret } from '@waggle/errors';
import { parseFlowRecord } from '../chunks/feedback.js';
import { startScoreWorker, type ScoreWorker } from './score-worker.js';
import { readRegistry } from '../registry/model-registry.js';
import { createKeyCheck, isLoopbackHost } from './api-key.js';
import type { ModelInfo } from './worker-protocol.js';

/** Where to listen, what to serve and who may ask. */
export interface DetectServerOptions {
  readonly modelDir: string;
  readonly host: string;
  readonly port: number;
  /** Largest accepted request body in bytes (default 32 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * The API key clients send in `Authorization` (the key, or `Bearer <key>`). Without
   * one the server only starts on a loopback address.
   */
  readonly key?: Secret;
  /** How often `registry.json` is checked for a new current version (default 5000 ms; 0: never, only `reload()`). */
  readonly reloadIntervalMs?: number;
  /** Called after the server switched to another version. */
  readonly onReload?: (change: { readonly from: number; readonly to: number }) => void;
  /** Called when checking the registry or loading a new version failed (the old version stays in use). */
  readonly onReloadError?: (error: Error) => void;
}

/** A running scoring server. */
export interface DetectServer {
  readonly url: string;
  readonly port: number;
  /** The model version answering requests now. */
  readonly version: number;
  /** Checks the registry now; resolves true when it switched to another version. */
  reload(): Promise<boolean>;
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

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** One loaded version: its thread, what it says about itself, and the requests it is answering. */
interface Loaded {
  readonly worker: ScoreWorker;
  readonly info: ModelInfo;
  inFlight: number;
  retired: boolean;
}

async function loadVersion(modelDir: string, version?: number): Promise<Loaded> {
  const worker = startScoreWorker(modelDir, version);
  try {
    return { worker, info: await worker.info(), inFlight: 0, retired: false };
  } catch (error) {
    await worker.close();
    throw error;
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Serves the current model version over HTTP: `POST /score` with `{"flows": [...]}`
 * (or a bare array) answers `{version, scores}`; `GET /model` answers the version in
 * use, combiner and metrics; `GET /health` answers `{"status":"ok"}` without a key.
 * With a key every other request must carry it (401 otherwise). Scoring runs on a
 * worker thread, so the event loop stays free.
 *
 * Reload: every `reloadIntervalMs` the registry's current pointer is read; when it
 * names another version, that version is loaded on a new thread and, once loaded,
 * takes the next requests. Requests already on the old thread finish there, then the
 * old thread stops. A version that fails to load is reported once and skipped.
 */
export async function startDetectServer(options: DetectServerOptions): Promise<DetectServer> {
  if (options.key === undefined && !isLoopbackHost(options.host)) {
    throw new InputError(`refusing to serve on ${options.host} without an API key: give one (--key-file FILE or WAGGLE_DETECT_KEY), or listen on 127.0.0.1`, { field: 'key' });
  }
  const authorised = options.key === undefined ? () => true : createKeyCheck(options.key);
  // Fail fast (and before a thread starts) when the folder holds no model.
  await readRegistry(options.modelDir);
  let active = await loadVersion(options.modelDir);
  const failed = new Set<number>();
  let closing = false;
  let reloading: Promise<boolean> | undefined;

  const release = (l: Loaded): void => {
    if (l.retired && l.inFlight === 0) void l.worker.close();
  };
  const use = async <T>(fn: (l: Loaded) => Promise<T>): Promise<T> => {
    const l = active;
    l.inFlight += 1;
    try {
      return await fn(l);
    } finally {
      l.inFlight -= 1;
      release(l);
    }
  };
  const switchVersion = async (): Promise<boolean> => {
    let current: number;
    try {
      current = (await readRegistry(options.modelDir)).current;
    } catch (error) {
      options.onReloadError?.(asError(error));
      return false;
    }
    if (closing || current === active.info.version || failed.has(current)) return false;
    let next: Loaded;
    try {
      next = await loadVersion(options.modelDir, current);
    } catch (error) {
      failed.add(current);
      options.onReloadError?.(new Error(`model version ${String(current)} could not be loaded; still serving version ${String(active.info.version)}: ${asError(error).message}`));
      return false;
    }
    if (closing) {
      await next.worker.close();
      return false;
    }
    const old = active;
    active = next;
    old.retired = true;
    release(old);
    options.onReload?.({ from: old.info.version, to: next.info.version });
    return true;
  };
  const reload = (): Promise<boolean> => {
    reloading ??= switchVersion().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };

  const max = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/health' && req.method === 'GET') return send(res, 200, { status: 'ok' });
        if (!authorised(req)) throw new HttpProblem(401, 'a valid API key is needed in the Authorization header');
        if (path === '/model' && req.method === 'GET') return send(res, 200, active.info);
        if (path === '/score' && req.method === 'POST') {
          const body = await readBody(req, max);
          const list = Array.isArray(body) ? body : (body as { flows?: unknown } | null)?.flows;
          if (!Array.isArray(list)) throw new HttpProblem(400, 'expected {"flows": [flow records]} or an array of flow records');
          const flows = list.map((f, i) => parseFlowRecord(f, `flows[${i}]`, false));
          const answer = await use(async (l) => ({ version: l.info.version, scores: Array.from(await l.worker.score(flows)) }));
          return send(res, 200, answer);
        }
        if (path === '/score' || path === '/model' || path === '/health') throw new HttpProblem(405, `${req.method ?? ''} is not allowed on ${path}`);
        throw new HttpProblem(404, `no route ${path ?? ''}`);
      } catch (error) {
        const status = error instanceof HttpProblem ? error.status : isWaggleError(error) ? (STATUS[error.code] ?? 500) : 500;
        send(res, status, { error: error instanceof Error ? error.message : String(error) }, status === 401 ? { 'www-authenticate': 'Bearer realm="waggle-detect"' } : {});
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  }).catch(async (error: unknown) => {
    await active.worker.close();
    throw error;
  });
  const interval = options.reloadIntervalMs ?? 5000;
  const timer = interval > 0 ? setInterval(() => void reload().catch((e: unknown) => options.onReloadError?.(asError(e))), interval) : undefined;
  timer?.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    get version() {
      return active.info.version;
    },
    reload,
    close: async () => {
      closing = true;
      if (timer !== undefined) clearInterval(timer);
      await reloading;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await active.worker.close();
    },
  };
}
