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
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let busy = false;
const walSize = () => { try { return statSync(workerData.file + '-wal').size; } catch { return 0; } };
const timer = setInterval(() => {
  if (busy) return;
  busy = true;
  try {
    // PASSIVE never waits; under continuous writes it never catches up, so past the limit a
    // RESTART makes the next transaction start the log from the beginning (it then shrinks).
    db.pragma(walSize() > workerData.restartBytes ? 'wal_checkpoint(RESTART)' : 'wal_checkpoint(PASSIVE)');
  } catch (e) { parentPort.postMessage(String(e && e.message || e)); }
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
 * of the request path. The writer keeps a large automatic threshold as a
 * safety net should this thread fall behind. Once the log passes `restartBytes` (64 MiB) the
 * thread asks for a RESTART checkpoint, which briefly holds writers back so the log can start
 * over; the writer's `journal_size_limit` then shrinks the file. Problems are reported through
 * `onError` and never stop the store.
 */
export function startWalCheckpointer(file: string, options: { intervalMs?: number; restartBytes?: number; onError?: (message: string) => void } = {}): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 250, restartBytes: options.restartBytes ?? 64 * 1024 * 1024 } });
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
