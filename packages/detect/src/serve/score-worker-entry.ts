import { parentPort, workerData } from 'node:worker_threads';
import { isWaggleError } from '@waggle/errors';
import { tensorflow } from '../model/tf-backend.js';
import { loadDetector } from '../registry/detector-store.js';
import { scoreFlows } from '../ensemble/ensemble.js';
import type { ModelInfo, ScoreRequest, ScoreResponse, ScoreWorkerData } from './worker-protocol.js';

/*
 * The scoring thread: loads one model version (the current one unless told) once, then scores batches sent by
 * the main thread, so TensorFlow.js never blocks the HTTP event loop.
 */
const data = workerData as ScoreWorkerData;
const port = parentPort;
if (port === null) throw new Error('score-worker-entry must run in a worker thread');

const loaded = (async () => {
  const tf = await tensorflow();
  const { state } = await loadDetector(tf, data.modelDir, data.version);
  return { tf, state };
})();
// Report a load failure on the first request rather than crashing the thread.
loaded.catch(() => undefined);

port.on('message', (req: ScoreRequest) => {
  void (async (): Promise<ScoreResponse> => {
    try {
      const { tf, state } = await loaded;
      if (req.op === 'info') {
        const info: ModelInfo = {
          version: state.version, combiner: state.ensemble.combiner.kind, bases: state.ensemble.bases.length,
          features: state.ensemble.schema.names.length, metrics: state.metrics, chunks: state.chunks,
        };
        return { id: req.id, ok: true, info };
      }
      return { id: req.id, ok: true, scores: await scoreFlows(tf, state.ensemble, req.flows) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { id: req.id, ok: false, error: isWaggleError(error) ? { message, code: error.code } : { message } };
    }
  })().then((res) => port.postMessage(res));
});
