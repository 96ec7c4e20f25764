import { parentPort, workerData } from 'node:worker_threads';
import { isWaggleError } from '@waggle/errors';
import { createBackend } from '../pairing/create-backend.js';
import { systemRandom } from '../random/random.js';
import { createWorkerOps } from './worker-ops.js';
import type { Request, Response, WorkerOps } from './protocol.js';

// Entry point of a pool worker: one back-end per thread, requests served in order.
const port = parentPort;
if (port === null) throw new Error('worker-entry: must run in a worker thread');
const backendName = (workerData as { backend?: string } | undefined)?.backend ?? 'mcl';
const ready: Promise<WorkerOps> = createBackend(backendName).then((b) => createWorkerOps(b, systemRandom));

port.on('message', (request: Request) => {
  void ready
    .then((ops) => (ops[request.op] as (...a: unknown[]) => unknown)(...request.args))
    .then(
      (value): Response => ({ id: request.id, ok: true, value }),
      (error: unknown): Response => ({
        id: request.id,
        ok: false,
        error: {
          name: error instanceof Error ? error.name : 'Error',
          code: isWaggleError(error) ? error.code : undefined,
          message: error instanceof Error ? error.message : String(error),
          details: isWaggleError(error) ? { ...error.details } : undefined,
        },
      }),
    )
    .then((response) => port.postMessage(response));
});
