import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InputError, NotFoundError, UnavailableError, WaggleError } from '@waggle/errors';
import type { FlowRecord } from '@waggle/flows';
import type { ModelInfo, ScoreRequest, ScoreResponse, ScoreWorkerData } from './worker-protocol.js';

/** Scores flows on a worker thread. */
export interface ScoreWorker {
  score(flows: readonly FlowRecord[]): Promise<Float64Array>;
  info(): Promise<ModelInfo>;
  close(): Promise<void>;
}

const entryUrl = new URL(import.meta.url.endsWith('.ts') ? './score-worker-entry.ts' : './score-worker-entry.js', import.meta.url);

/** From sources (tests, tsx) the entry is TypeScript and is loaded through tsx's API inside the thread. */
function workerScript(): { entry: URL | string; execArgv: string[] } {
  if (!entryUrl.pathname.endsWith('.ts')) return { entry: entryUrl, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `const { workerData } = require('node:worker_threads');\nimport(${JSON.stringify(tsx)}).then((api) => api.tsImport(workerData.entry, workerData.entry));`;
  return { entry: bootstrap, execArgv: ['--conditions=source'] };
}

function rebuild(e: { message: string; code?: string }): Error {
  if (e.code === 'invalid_input') return new InputError(e.message);
  if (e.code === 'not_found') return new NotFoundError(e.message);
  if (e.code !== undefined) return new WaggleError(e.code as WaggleError['code'], e.message);
  return new Error(e.message);
}

/** Starts a scoring thread on a version (default: the current one) of the model in `modelDir`. */
export function startScoreWorker(modelDir: string, version?: number): ScoreWorker {
  const { entry, execArgv } = workerScript();
  const data: ScoreWorkerData = { modelDir, entry: entryUrl.href, ...(version === undefined ? {} : { version }) };
  const worker = new Worker(entry, { workerData: data, execArgv, eval: typeof entry === 'string' });
  const waiting = new Map<number, { resolve(r: ScoreResponse & { ok: true }): void; reject(e: Error): void }>();
  let next = 0;
  let dead: Error | undefined;
  worker.on('message', (r: ScoreResponse) => {
    const w = waiting.get(r.id);
    if (w === undefined) return;
    waiting.delete(r.id);
    if (r.ok) w.resolve(r);
    else w.reject(rebuild(r.error));
  });
  const fail = (error: Error): void => {
    dead = new UnavailableError(`scoring thread stopped: ${error.message}`);
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('exited')));
  const call = (req: { op: 'score'; flows: readonly FlowRecord[] } | { op: 'info' }): Promise<ScoreResponse & { ok: true }> => {
    if (dead !== undefined) return Promise.reject(dead);
    const id = (next += 1);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      const message: ScoreRequest = { ...req, id };
      worker.postMessage(message);
    });
  };
  return {
    score: async (flows) => (await call({ op: 'score', flows })).scores ?? new Float64Array(0),
    info: async () => {
      const r = await call({ op: 'info' });
      if (r.info === undefined) throw new Error('scoring thread sent no model info');
      return r.info;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
