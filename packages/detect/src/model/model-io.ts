import type * as tfType from '@tensorflow/tfjs';
import { InputError } from '@waggle/errors';
import { registerPerFeatureExpansion } from './per-feature-expansion.js';

/** A base network as two files: `model.json` (topology + weight manifest) and `weights.bin`. */
export interface SerializedNet {
  readonly modelJson: {
    readonly format: 'layers-model';
    readonly modelTopology: unknown;
    readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly tfType.io.WeightsManifestEntry[] }[];
  };
  readonly weights: Uint8Array;
}

/**
 * Serialises a network through a custom `tf.io` save handler (the `file://` handler
 * needs tfjs-node). The layout is the one `tf.loadLayersModel` reads from a server.
 */
export async function serializeNet(tf: typeof tfType, model: tfType.LayersModel): Promise<SerializedNet> {
  let saved: SerializedNet | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      if (data === undefined || artifacts.weightSpecs === undefined) throw new Error('model has no weights to save');
      const buffers = Array.isArray(data) ? data : [data];
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const weights = new Uint8Array(total);
      let at = 0;
      for (const b of buffers) {
        weights.set(new Uint8Array(b), at);
        at += b.byteLength;
      }
      saved = { modelJson: { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }, weights };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('model save handler was not called');
  return saved;
}

/** Loads a network serialised by {@link serializeNet}; rejects inconsistent files with an InputError. */
export async function deserializeNet(tf: typeof tfType, modelJson: unknown, weights: Uint8Array): Promise<tfType.LayersModel> {
  const m = modelJson as Partial<SerializedNet['modelJson']> | null;
  const specs = m?.weightsManifest?.[0]?.weights;
  if (m === null || typeof m !== 'object' || m.format !== 'layers-model' || typeof m.modelTopology !== 'object' || !Array.isArray(specs)) {
    throw new InputError('invalid model.json (expected a layers-model with a weights manifest)');
  }
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a: number, b: number) => a * b, 1) * 4, 0);
  if (expected !== weights.byteLength) throw new InputError(`weights.bin has ${weights.byteLength} bytes, model.json expects ${expected}`);
  registerPerFeatureExpansion(tf);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology as object, weightSpecs: specs, weightData: buffer }));
  } catch (error) {
    throw new InputError(`cannot load model: ${error instanceof Error ? error.message : String(error)}`);
  }
}
