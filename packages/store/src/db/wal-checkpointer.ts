import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A background thread that moves SQLite's write-ahead log into the database file. */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain CommonJS evaluated in the worker: a worker cannot load the TypeScript
// sources the tests run from, and this code has no types worth keeping.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let busy = false;
const timer = setInterval(() => {
  if (busy) return;
  busy = true;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e && e.message || e)); }
  busy = false;
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * Starts checkpointing `file` from a worker thread every `intervalMs`.
 *
 * SQLite otherwise checkpoints inside the COMMIT that crosses the WAL size
 * threshold, on the thread serving requests; in WAL mode a PASSIVE checkpoint
 * runs beside the writer, so doing it on the other core takes that work out
 * of the request path. The writer keeps a 64 MiB automatic threshold: its own
 * checkpoint then finds most frames copied already, and lets the log start over
 * (this thread never holds the write lock, so it never makes a writer wait).
 * Problems are reported through `onError` and never stop the store.
 */
export function startWalCheckpointer(file: string, options: { intervalMs?: number; onError?: (message: string) => void } = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 250} });
  worker.unref();
  worker.on('message', (m: unknown) => options.onError?.(String(m)));
  worker.on('error', (e: Error) => options.onError?.(e.message));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Keep the process alive until the worker has closed its connection.
        worker.ref();
        worker.postMessage('stop');
        // A checkpoint in progress finishes first; do not wait for ever on a stuck one.
        setTimeout(() => void worker.terminate().then(() => resolve()), 5000).unref();
      });
      return stopped;
    },
  };
}
