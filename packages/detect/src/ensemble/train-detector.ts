import type * as tfType from '@tensorflow/tfjs';
import type { FlowRecord } from '@waggle/flows';
import { InputError } from '@waggle/errors';
import { featureMatrix, fitFeatureSchema, type FeatureSchema } from '../features/feature-schema.js';
import { checkBaseNetConfig, DEFAULT_BASE_NET, type BaseNetConfig } from '../model/base-net.js';
import { trainBaseNet } from '../model/train-base-net.js';
import { permutation, seededRandom } from '../util/prng.js';
import type { CombinerKind } from './combiner.js';
import type { ChunkInfo, ChunkSource, DetectorState } from './detector-state.js';
import { baseOutputs, type Ensemble } from './ensemble.js';
import { concatSets, sample, shuffleSet, type LabelledSet } from './labelled-set.js';
import { versionMetrics } from './version-metrics.js';
import { selectCombiner } from './select-combiner.js';

/** Training settings. */
export interface TrainOptions {
  readonly seed: number;
  /** Flows per chunk; one base network is trained per chunk. */
  readonly chunkSize: number;
  readonly baseNet?: Partial<BaseNetConfig>;
  /** Force one combiner instead of choosing by validation. */
  readonly combiner?: CombinerKind;
  /** Share of each chunk held out for validation (default 0.2). */
  readonly validationFraction?: number;
}

/** Limits on the rows kept with a version. */
const MAX_VALIDATION_PER_CHUNK = 4000;
const MAX_REPLAY = 6000;
const MIN_CHUNK = 10;

function labelsOf(flows: readonly FlowRecord[], what: string): Uint8Array {
  const y = new Uint8Array(flows.length);
  flows.forEach((f, i) => {
    if (f.label !== 0 && f.label !== 1) throw new InputError(`${what}: flow ${i + 1} has no label (0 benign or 1 attack)`);
    y[i] = f.label;
  });
  return y;
}

function toSet(flows: readonly FlowRecord[], schema: FeatureSchema, chunk: number, what: string): LabelledSet {
  const y = labelsOf(flows, what);
  return { x: featureMatrix(flows, schema), y, chunk: new Uint16Array(flows.length).fill(chunk), rows: flows.length, width: schema.names.length };
}

function splitChunk(s: LabelledSet, fraction: number): { train: LabelledSet; validation: LabelledSet } {
  const nVal = validationRows(s.rows, fraction);
  return { validation: rowRange(s, 0, nVal), train: rowRange(s, nVal, s.rows) };
}

function validationRows(rows: number, fraction: number): number {
  return Math.min(MAX_VALIDATION_PER_CHUNK, Math.max(1, Math.round(rows * fraction)));
}

function rowRange(s: LabelledSet, from: number, to: number): LabelledSet {
  return { x: s.x.slice(from * s.width, to * s.width), y: s.y.slice(from, to), chunk: s.chunk.slice(from, to), rows: to - from, width: s.width };
}

async function finish(tf: typeof tfType, ensembleNoCombiner: Omit<Ensemble, 'combiner'>, validation: LabelledSet, seed: number, only: CombinerKind | undefined) {
  const shuffled = shuffleSet(validation, seededRandom(seed ^ 0x27d4eb2d));
  const provisional: Ensemble = { ...ensembleNoCombiner, combiner: { kind: 'average' } };
  const outputs = await baseOutputs(tf, provisional, shuffled.x, shuffled.rows);
  const choice = selectCombiner(outputs, shuffled.x, shuffled.width, shuffled.y, only);
  const ensemble: Ensemble = { ...ensembleNoCombiner, combiner: choice.combiner };
  return { ensemble, metrics: await versionMetrics(tf, ensemble, shuffled, choice.candidates), validation: shuffled };
}

/**
 * Trains version 1 of a detector: shuffles the flows (seeded), cuts them into chunks,
 * holds out part of each chunk for validation, fits the scaler on the training rows,
 * trains one base network per chunk and chooses the combiner by validation.
 */
export async function trainDetector(tf: typeof tfType, flows: readonly FlowRecord[], source: ChunkSource, options: TrainOptions): Promise<DetectorState> {
  if (flows.length < MIN_CHUNK) throw new InputError(`need at least ${MIN_CHUNK} labelled flows to train, got ${flows.length}`);
  if (!Number.isInteger(options.chunkSize) || options.chunkSize < MIN_CHUNK) throw new InputError(`chunk size must be an integer ≥ ${MIN_CHUNK}`);
  const baseNet = checkBaseNetConfig({ ...DEFAULT_BASE_NET, ...options.baseNet });
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 0.9)) throw new InputError('validation fraction must be in (0, 0.9)');
  const labels = labelsOf(flows, 'training data');
  if (!labels.includes(0) || !labels.includes(1)) throw new InputError('training data needs both benign (0) and attack (1) flows');
  const order = permutation(flows.length, seededRandom(options.seed));
  const shuffled = Array.from(order, (i) => flows[i] as FlowRecord);
  const count = Math.max(1, Math.round(flows.length / options.chunkSize));
  const size = Math.ceil(flows.length / count);
  const parts = Array.from({ length: count }, (_, c) => shuffled.slice(c * size, (c + 1) * size)).filter((p) => p.length > 0);
  const valRows = parts.map((p) => validationRows(p.length, fraction));
  const schema = fitFeatureSchema(parts.flatMap((p, c) => p.slice(valRows[c])));
  const sets = parts.map((p, c) => splitChunk(toSet(p, schema, c + 1, 'training data'), fraction));
  const bases: tfType.LayersModel[] = [];
  for (const [c, s] of sets.entries()) bases.push(await trainBaseNet(tf, s.train, baseNet, options.seed + c + 1));
  const chunks: ChunkInfo[] = parts.map((p, c) => ({ ...source, id: c + 1, rows: p.length, attacks: p.filter((f) => f.label === 1).length, addedIn: 1 }));
  const done = await finish(tf, { schema, baseNet, bases }, concatSets(sets.map((s) => s.validation), schema.names.length), options.seed, options.combiner);
  const replay = sample(concatSets(sets.map((s) => s.train), schema.names.length), MAX_REPLAY, seededRandom(options.seed ^ 0x165667b1));
  return { version: 1, seed: options.seed, ensemble: done.ensemble, chunks, validation: done.validation, replay, metrics: done.metrics };
}

/**
 * Incremental learning: trains ONE new base network on the new chunk plus a replay
 * sample of earlier training rows (so a chunk of only attacks still teaches the
 * boundary), keeps every earlier base unchanged, refits the combiner on the grown
 * validation set and returns the next version.
 */
export async function addChunk(tf: typeof tfType, state: DetectorState, flows: readonly FlowRecord[], source: ChunkSource, only?: CombinerKind): Promise<DetectorState> {
  if (flows.length < MIN_CHUNK) throw new InputError(`a chunk needs at least ${MIN_CHUNK} labelled flows, got ${flows.length}`);
  const { schema } = state.ensemble;
  const id = Math.max(0, ...state.chunks.map((c) => c.id)) + 1;
  const seed = state.seed + 1000 * state.version + id;
  const random = seededRandom(seed);
  const set = shuffleSet(toSet(flows, schema, id, 'chunk'), random);
  const { train, validation } = splitChunk(set, 0.2);
  const replay = sample(state.replay, Math.max(train.rows, 1000), random);
  const base = await trainBaseNet(tf, shuffleSet(concatSets([train, replay], schema.names.length), random), state.ensemble.baseNet, seed);
  const grown = concatSets([state.validation, validation], schema.names.length);
  const done = await finish(tf, { schema, baseNet: state.ensemble.baseNet, bases: [...state.ensemble.bases, base] }, grown, seed, only);
  const chunk: ChunkInfo = { ...source, id, rows: flows.length, attacks: set.y.reduce((n, v) => n + v, 0), addedIn: state.version + 1 };
  return {
    version: state.version + 1,
    seed: state.seed,
    ensemble: done.ensemble,
    chunks: [...state.chunks, chunk],
    validation: done.validation,
    replay: sample(concatSets([state.replay, train], schema.names.length), MAX_REPLAY, random),
    metrics: done.metrics,
  };
}
