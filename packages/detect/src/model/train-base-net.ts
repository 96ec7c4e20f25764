import type * as tfType from '@tensorflow/tfjs';
import { permutation, seededRandom } from '../util/prng.js';
import { buildBaseNet, weightedBinaryCrossEntropy, type BaseNetConfig } from './base-net.js';

/** A labelled feature matrix: `rows` × `width`, row-major; labels 0/1. */
export interface LabelledMatrix {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly rows: number;
  readonly width: number;
}

/**
 * Trains one base network on a chunk. The rows are reshuffled every epoch with a
 * seeded permutation (TensorFlow.js's own shuffle uses `Math.random`), so the same
 * seed and data give the same weights.
 */
export async function trainBaseNet(tf: typeof tfType, data: LabelledMatrix, config: BaseNetConfig, seed: number): Promise<tfType.LayersModel> {
  const model = buildBaseNet(tf, data.width, config, seed);
  model.compile({ optimizer: tf.train.adam(config.learningRate), loss: weightedBinaryCrossEntropy(tf, config.fnWeight, config.fpWeight) });
  const random = seededRandom(seed ^ 0x5bd1e995);
  // Small chunks get smaller batches, so every epoch still takes at least ~16 steps.
  const batchSize = Math.min(config.batchSize, Math.max(32, Math.floor(data.rows / 16)));
  const xs = tf.tensor2d(data.x, [data.rows, data.width]);
  const ys = tf.tensor2d(Float32Array.from(data.y), [data.rows, 1]);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch += 1) {
      const order = tf.tensor1d(Int32Array.from(permutation(data.rows, random)), 'int32');
      const ex = tf.gather(xs, order);
      const ey = tf.gather(ys, order);
      try {
        await model.fit(ex, ey, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
      } finally {
        tf.dispose([order, ex, ey]);
      }
    }
  } finally {
    tf.dispose([xs, ys]);
  }
  return model;
}

/** Scores rows with several base networks, uploading the input once; returns one probability array per network. */
export async function predictBaseNets(tf: typeof tfType, models: readonly tfType.LayersModel[], x: Float32Array, rows: number, width: number): Promise<Float32Array[]> {
  if (rows === 0) return models.map(() => new Float32Array(0));
  const input = tf.tensor2d(x, [rows, width]);
  try {
    const out: Float32Array[] = [];
    for (const model of models) {
      const p = model.predict(input, { batchSize: 16384 }) as tfType.Tensor;
      try {
        out.push((await p.data()) as Float32Array);
      } finally {
        p.dispose();
      }
    }
    return out;
  } finally {
    input.dispose();
  }
}
