import type * as tfType from '@tensorflow/tfjs';
import { InputError } from '@waggle/errors';
import { parseFeatureSchema } from '../features/feature-schema.js';
import { checkBaseNetConfig, type BaseNetConfig } from '../model/base-net.js';
import { deserializeNet, serializeNet } from '../model/model-io.js';
import { parseCombiner, type Combiner } from '../ensemble/combiner.js';
import type { ChunkInfo, DetectorState, VersionMetrics } from '../ensemble/detector-state.js';
import type { LabelledSet } from '../ensemble/labelled-set.js';

/** The files of one model version, by relative path. */
export type VersionFiles = ReadonlyMap<string, Uint8Array>;

/** `manifest.json` of a version. */
export interface VersionManifest {
  readonly format: 'waggle-detect-model/1';
  readonly version: number;
  readonly seed: number;
  readonly created: string;
  readonly framework: 'tensorflow.js';
  readonly schema: unknown;
  readonly baseNet: BaseNetConfig;
  readonly combiner: Combiner;
  readonly bases: readonly string[];
  readonly chunks: readonly ChunkInfo[];
  readonly metrics: VersionMetrics;
  readonly validationRows: number;
  readonly replayRows: number;
}

const text = (v: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(v, null, 1)}\n`);

function setBytes(s: LabelledSet): Uint8Array {
  const out = new Uint8Array(s.x.byteLength + s.chunk.byteLength + s.y.byteLength);
  out.set(new Uint8Array(s.x.buffer, s.x.byteOffset, s.x.byteLength), 0);
  out.set(new Uint8Array(s.chunk.buffer, s.chunk.byteOffset, s.chunk.byteLength), s.x.byteLength);
  out.set(s.y, s.x.byteLength + s.chunk.byteLength);
  return out;
}

function bytesSet(b: Uint8Array, rows: number, width: number, name: string): LabelledSet {
  if (b.byteLength !== rows * (width * 4 + 3)) throw new InputError(`${name} has ${b.byteLength} bytes, expected ${rows * (width * 4 + 3)}`);
  const copy = b.slice();
  const x = new Float32Array(copy.buffer, 0, rows * width);
  const chunk = new Uint16Array(copy.buffer, rows * width * 4, rows);
  const y = new Uint8Array(copy.buffer, rows * width * 4 + rows * 2, rows);
  if (!y.every((v) => v === 0 || v === 1)) throw new InputError(`${name} holds labels other than 0 and 1`);
  return { x, y, chunk, rows, width };
}

/** Serialises a version: manifest, one folder per base network, validation and replay rows. */
export async function stateToFiles(tf: typeof tfType, state: DetectorState, created: Date): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const bases: string[] = [];
  for (const [i, b] of state.ensemble.bases.entries()) {
    const name = `base-${i + 1}`;
    const s = await serializeNet(tf, b);
    files.set(`${name}/model.json`, text(s.modelJson));
    files.set(`${name}/weights.bin`, s.weights);
    bases.push(name);
  }
  files.set('validation.bin', setBytes(state.validation));
  files.set('replay.bin', setBytes(state.replay));
  const manifest: VersionManifest = {
    format: 'waggle-detect-model/1', version: state.version, seed: state.seed, created: created.toISOString(), framework: 'tensorflow.js',
    schema: state.ensemble.schema, baseNet: state.ensemble.baseNet, combiner: state.ensemble.combiner, bases, chunks: state.chunks,
    metrics: state.metrics, validationRows: state.validation.rows, replayRows: state.replay.rows,
  };
  files.set('manifest.json', text(manifest));
  return files;
}

function need(files: VersionFiles, path: string): Uint8Array {
  const f = files.get(path);
  if (f === undefined) throw new InputError(`model version is missing ${path}`);
  return f;
}

function json(files: VersionFiles, path: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(need(files, path)));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path} is not valid JSON`);
  }
}

/** Reads a version's manifest, checking its shape. */
export function readManifest(files: VersionFiles): VersionManifest {
  const m = json(files, 'manifest.json') as Partial<VersionManifest> | null;
  if (m === null || typeof m !== 'object' || m.format !== 'waggle-detect-model/1' || !Number.isInteger(m.version) || !Array.isArray(m.bases) || m.bases.length === 0 ||
    !Array.isArray(m.chunks) || typeof m.metrics !== 'object' || !Number.isInteger(m.validationRows) || !Number.isInteger(m.replayRows) || typeof m.baseNet !== 'object') {
    throw new InputError('manifest.json is not a waggle-detect-model/1 manifest');
  }
  return m as VersionManifest;
}

/** Loads a version from its files; every inconsistency is an InputError. */
export async function filesToState(tf: typeof tfType, files: VersionFiles): Promise<DetectorState> {
  const m = readManifest(files);
  const schema = parseFeatureSchema(m.schema);
  const width = schema.names.length;
  const combiner = parseCombiner(m.combiner, m.bases.length, width);
  const bases: tfType.LayersModel[] = [];
  try {
    for (const b of m.bases) {
      if (typeof b !== 'string' || !/^base-\d+$/.test(b)) throw new InputError(`invalid base network name ${JSON.stringify(b)}`);
      const net = await deserializeNet(tf, json(files, `${b}/model.json`), need(files, `${b}/weights.bin`));
      bases.push(net);
      const shape = net.inputs[0]?.shape;
      if (shape?.[1] !== width) throw new InputError(`${b} expects ${String(shape?.[1])} features, the schema has ${width}`);
    }
  } catch (error) {
    for (const b of bases) b.dispose();
    throw error;
  }
  return {
    version: m.version, seed: m.seed, chunks: m.chunks, metrics: m.metrics,
    ensemble: { schema, baseNet: checkBaseNetConfig(m.baseNet), bases, combiner },
    validation: bytesSet(need(files, 'validation.bin'), m.validationRows, width, 'validation.bin'),
    replay: bytesSet(need(files, 'replay.bin'), m.replayRows, width, 'replay.bin'),
  };
}
