import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ForbiddenError, InputError, WaggleError } from '@waggle/errors';
import type { BackendName } from '../pairing/backend.js';
import type { OpName, Request, Response, WorkerOps } from './protocol.js';

/** Pool settings. */
export interface AbeWorkerPoolOptions {
  /** Number of threads (default: CPU count − 1, at least 1). */
  readonly size?: number;
  /** Pairing back-end each thread uses (default `mcl`). */
  readonly backend?: BackendName;
}

type Async<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never };

/** The worker operations as promises, plus `close()`. Workers use the system CSPRNG. */
export type AbeWorkerPool = Async<WorkerOps> & { close(): Promise<void> };

interface Slot {
  readonly worker: Worker;
  pending: number;
}

function rebuild(e: Extract<Response, { ok: false }>['error']): Error {
  if (e.code === 'invalid_input') return new InputError(e.message, e.details ?? {});
  if (e.code === 'forbidden') return new ForbiddenError(e.message, e.details ?? {});
  if (e.code !== undefined) return new WaggleError(e.code as WaggleError['code'], e.message, { details: e.details ?? {} });
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

const entryUrl = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js', import.meta.url);

/**
 * The built package starts `worker-entry.js` directly. From sources (tests, tsx) the
 * entry is TypeScript: Node 20 does not apply loader hooks registered with `--import`
 * inside workers, so a two-line bootstrap loads it through tsx's `tsImport` API.
 */
function workerScript(): { entry: URL | string; execArgv: string[] } {
  if (!entryUrl.pathname.endsWith('.ts')) return { entry: entryUrl, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `const { workerData } = require('node:worker_threads');\nimport(${JSON.stringify(tsx)}).then((api) => api.tsImport(workerData.entry, workerData.entry));`;
  return { entry: bootstrap, execArgv: ['--conditions=source'] };
}

/**
 * Runs key generation, encryption and decryption off the event loop on a small pool of
 * `node:worker_threads`. Each request goes to the least busy thread. Idle threads do not
 * keep the process alive.
 */
export function createAbeWorkerPool(options: AbeWorkerPoolOptions = {}): AbeWorkerPool {
  const size = Math.max(1, options.size ?? cpus().length - 1);
  const { entry, execArgv } = workerScript();
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; slot: Slot }>();
  let nextId = 0;
  let closed = false;
  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = { worker: new Worker(entry, { workerData: { backend: options.backend ?? 'mcl', entry: entryUrl.href }, execArgv, eval: typeof entry === 'string' }), pending: 0 };
    slot.worker.unref();
    slot.worker.on('message', (r: Response) => {
      const w = waiting.get(r.id);
      if (w === undefined) return;
      waiting.delete(r.id);
      slot.pending -= 1;
      if (slot.pending === 0) slot.worker.unref();
      if (r.ok) w.resolve(r.value);
      else w.reject(rebuild(r.error));
    });
    slot.worker.on('error', (error) => {
      for (const [id, w] of waiting) {
        if (w.slot !== slot) continue;
        waiting.delete(id);
        w.reject(error);
      }
      slot.pending = 0;
    });
    return slot;
  });
  const call = (op: OpName, args: unknown[]): Promise<unknown> => {
    if (closed) return Promise.reject(new Error('ABE worker pool is closed'));
    const slot = slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = (nextId += 1);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject, slot });
      if (slot.pending === 0) slot.worker.ref();
      slot.pending += 1;
      const request: Request = { id, op, args };
      slot.worker.postMessage(request);
    });
  };
  return {
    keygen: (...a) => call('keygen', a) as ReturnType<AbeWorkerPool['keygen']>,
    encrypt: (...a) => call('encrypt', a) as ReturnType<AbeWorkerPool['encrypt']>,
    decrypt: (...a) => call('decrypt', a) as ReturnType<AbeWorkerPool['decrypt']>,
    seal: (...a) => call('seal', a) as ReturnType<AbeWorkerPool['seal']>,
    open: (...a) => call('open', a) as ReturnType<AbeWorkerPool['open']>,
    close: async () => {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const w of waiting.values()) w.reject(new Error('ABE worker pool closed'));
      waiting.clear();
    },
  };
}
