import type * as tfType from '@tensorflow/tfjs';
import type { FlowRecord } from '@waggle/flows';
import { featureMatrix, type FeatureSchema } from '../features/feature-schema.js';
import type { BaseNetConfig } from '../model/base-net.js';
import { predictBaseNets } from '../model/train-base-net.js';
import { combine, type Combiner } from './combiner.js';

/**
 * A trained ensemble: the feature schema (with its fitted scaler), one base network
 * per training chunk and the combiner chosen on validation data.
 */
export interface Ensemble {
  readonly schema: FeatureSchema;
  readonly baseNet: BaseNetConfig;
  readonly bases: readonly tfType.LayersModel[];
  readonly combiner: Combiner;
}

/** Each base network's outputs on a scaled feature matrix. */
export async function baseOutputs(tf: typeof tfType, e: Ensemble, x: Float32Array, rows: number): Promise<Float32Array[]> {
  return predictBaseNets(tf, e.bases, x, rows, e.schema.names.length);
}

/** Ensemble scores (attack probability in [0, 1]) of a scaled feature matrix. */
export async function scoreMatrix(tf: typeof tfType, e: Ensemble, x: Float32Array, rows: number): Promise<Float64Array> {
  if (rows === 0) return new Float64Array(0);
  return combine(e.combiner, await baseOutputs(tf, e, x, rows), x, e.schema.names.length);
}

/** Ensemble scores of flow records, in batches so memory stays bounded. */
export async function scoreFlows(tf: typeof tfType, e: Ensemble, flows: readonly FlowRecord[], batch = 65536): Promise<Float64Array> {
  const out = new Float64Array(flows.length);
  for (let i = 0; i < flows.length; i += batch) {
    const part = flows.slice(i, i + batch);
    out.set(await scoreMatrix(tf, e, featureMatrix(part, e.schema), part.length), i);
  }
  return out;
}

/** Releases the networks' tensors. */
export function disposeEnsemble(e: Ensemble): void {
  for (const b of e.bases) b.dispose();
}
