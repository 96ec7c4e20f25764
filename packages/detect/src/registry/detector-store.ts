import type * as tfType from '@tensorflow/tfjs';
import { InputError } from '@waggle/errors';
import type { DetectorState } from '../ensemble/detector-state.js';
import { commitVersion, readVersionFiles, type CommitStage, type Registry } from './model-registry.js';
import { filesToState, stateToFiles } from './state-files.js';

/** Dependencies of saving: the clock and, for tests, a crash hook. */
export interface SaveDeps {
  readonly now: () => Date;
  readonly onStage?: (s: CommitStage) => void;
}

/** Saves a detector version into MODEL_DIR and makes it current (atomically). */
export async function saveDetector(tf: typeof tfType, dir: string, state: DetectorState, deps: SaveDeps): Promise<Registry> {
  const created = deps.now();
  const files = await stateToFiles(tf, state, created);
  const entry = {
    version: state.version, created: created.toISOString(), combiner: state.ensemble.combiner.kind,
    bases: state.ensemble.bases.length, chunks: state.chunks, metrics: state.metrics,
  };
  return commitVersion(dir, entry, files, deps.onStage);
}

/** Loads the current (or a given) version of the detector in MODEL_DIR. */
export async function loadDetector(tf: typeof tfType, dir: string, version?: number): Promise<{ state: DetectorState; registry: Registry }> {
  const { registry, entry, files } = await readVersionFiles(dir, version);
  try {
    const state = await filesToState(tf, files);
    if (state.version !== entry.version) throw new InputError(`manifest says version ${state.version}, registry says ${entry.version}`);
    return { state, registry };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`corrupt model directory ${dir}: ${error.message}`);
    throw error;
  }
}
