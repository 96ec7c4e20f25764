import { readFile, stat, writeFile } from 'node:fs/promises';
import { ConflictError, InputError } from '@waggle/errors';
import type { Finding } from '@waggle/findings';
import type { FlowRecord } from '@waggle/flows';
import { tensorflow } from '../model/tf-backend.js';
import type { BaseNetConfig } from '../model/base-net.js';
import type { CombinerKind } from '../ensemble/combiner.js';
import type { ChunkSource, DetectorState } from '../ensemble/detector-state.js';
import { disposeEnsemble, scoreFlows } from '../ensemble/ensemble.js';
import { qualityOf, type Quality } from '../ensemble/quality.js';
import { addChunk, trainDetector } from '../ensemble/train-detector.js';
import { loadDetector, saveDetector } from '../registry/detector-store.js';
import { readVersionFiles, type Registry } from '../registry/model-registry.js';
import { flowsToFindings } from '../findings/flows-to-findings.js';
import { exportMlModelObject, importMlModelObject, type MlModelObject } from '../share/ml-model-object.js';
import { installVersionFiles } from '../share/install-version.js';
import { lowScoreBenign } from '../chunks/low-score.js';

/** The clock, injected so tests are deterministic. */
export interface WorkflowDeps {
  readonly now: () => Date;
}

/** Settings of {@link trainModel}. */
export interface TrainModelOptions {
  readonly seed: number;
  readonly chunkSize: number;
  readonly baseNet?: Partial<BaseNetConfig>;
  readonly combiner?: CombinerKind;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Trains version 1 into an empty MODEL_DIR. The returned state is for its version and metrics: its networks are released. */
export async function trainModel(dir: string, flows: readonly FlowRecord[], source: ChunkSource, o: TrainModelOptions, deps: WorkflowDeps): Promise<{ state: DetectorState; registry: Registry }> {
  if (await exists(`${dir}/registry.json`)) throw new ConflictError(`${dir} already holds a model; use \`waggle detect update\` to add a chunk`);
  const tf = await tensorflow();
  const state = await trainDetector(tf, flows, source, { seed: o.seed, chunkSize: o.chunkSize, ...(o.baseNet === undefined ? {} : { baseNet: o.baseNet }), ...(o.combiner === undefined ? {} : { combiner: o.combiner }) });
  try {
    return { state, registry: await saveDetector(tf, dir, state, deps) };
  } finally {
    disposeEnsemble(state.ensemble);
  }
}

/** Adds one chunk to the current version and saves the next version (returned state: networks released). */
export async function updateModel(dir: string, flows: readonly FlowRecord[], source: ChunkSource, deps: WorkflowDeps & { combiner?: CombinerKind }): Promise<{ state: DetectorState; registry: Registry }> {
  const tf = await tensorflow();
  const { state: current } = await loadDetector(tf, dir);
  let next: DetectorState | undefined;
  try {
    next = await addChunk(tf, current, flows, source, deps.combiner);
    return { state: next, registry: await saveDetector(tf, dir, next, deps) };
  } finally {
    // The new version holds the old bases plus its own: freeing it frees all.
    disposeEnsemble((next ?? current).ensemble);
  }
}

/** Scores flows with the current version. */
export async function scoreWithModel(dir: string, flows: readonly FlowRecord[]): Promise<{ version: number; scores: Float64Array }> {
  const tf = await tensorflow();
  const { state } = await loadDetector(tf, dir);
  try {
    return { version: state.version, scores: await scoreFlows(tf, state.ensemble, flows) };
  } finally {
    disposeEnsemble(state.ensemble);
  }
}

/** Precision, recall, F1, ROC-AUC and PR-AUC of the current version on labelled flows. */
export async function evaluateModel(dir: string, flows: readonly FlowRecord[], threshold: number): Promise<Quality & { version: number; flows: number; threshold: number }> {
  const unlabelled = flows.findIndex((f) => f.label !== 0 && f.label !== 1);
  if (unlabelled >= 0) throw new InputError(`flow ${unlabelled + 1} has no label; evaluation needs labelled data`, { field: 'data' });
  const { version, scores } = await scoreWithModel(dir, flows);
  return { version, flows: flows.length, threshold, ...qualityOf(scores, flows.map((f) => f.label ?? 0), threshold) };
}

/** Scores flows and turns those at or over the threshold into findings. */
export async function findingsFromModel(dir: string, flows: readonly FlowRecord[], threshold: number): Promise<{ version: number; flagged: number; findings: Finding[] }> {
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError('threshold must be between 0 and 1', { field: 'threshold' });
  const { version, scores } = await scoreWithModel(dir, flows);
  const flagged = scores.reduce((n, s) => n + (s >= threshold ? 1 : 0), 0);
  return { version, flagged, findings: flowsToFindings(flows, scores, threshold, String(version)) };
}

/** Low-score production traffic as a benign chunk (scored by the current version). */
export async function benignChunkFromTraffic(dir: string, flows: readonly FlowRecord[], o: { maxScore: number; max: number; seed: number }): Promise<FlowRecord[]> {
  const { scores } = await scoreWithModel(dir, flows);
  const benign = lowScoreBenign(flows, scores, o);
  if (benign.length === 0) throw new InputError(`no flow scored below ${o.maxScore}; nothing to add as benign traffic`, { field: 'data' });
  return benign;
}

/** Writes the current version as a MISP ml-model object file. */
export async function exportModel(dir: string, out: string, name: string): Promise<MlModelObject> {
  const object = exportMlModelObject((await readVersionFiles(dir)).files, name);
  await writeFile(out, `${JSON.stringify(object)}\n`);
  return object;
}

/** Installs the model of an ml-model object file into an empty MODEL_DIR. */
export async function importModel(file: string, dir: string): Promise<Registry> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: ${error instanceof SyntaxError ? 'not JSON' : error instanceof Error ? error.message : String(error)}`, { field: 'object' });
  }
  return importModelObject(value, dir);
}

/** Installs the model of an ml-model object (as read from a file or a server) into an empty MODEL_DIR. */
export async function importModelObject(value: unknown, dir: string): Promise<Registry> {
  if (await exists(`${dir}/registry.json`)) throw new ConflictError(`${dir} already holds a model; import into an empty folder`);
  const files = importMlModelObject(value);
  const registry = await installVersionFiles(dir, files);
  // Prove the model loads before reporting success.
  const tf = await tensorflow();
  const { state } = await loadDetector(tf, dir);
  disposeEnsemble(state.ensemble);
  return registry;
}
