import { combine, type BaseOutputs, type Combiner, type CombinerKind } from './combiner.js';

/** Validation data for fitting a combiner: base outputs, scaled features and labels. */
export interface CombinerData {
  readonly outputs: BaseOutputs;
  readonly features: Float32Array;
  readonly width: number;
  readonly labels: Uint8Array;
}

const STEPS = 300;

function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.log(q / (1 - q));
}

/** Logistic regression on the bases' logits by full-batch gradient descent with a small L2 penalty (deterministic). */
function fitStacking(d: CombinerData): Combiner {
  const m = d.outputs.length;
  const rows = d.labels.length;
  const z = d.outputs.map((o) => Float64Array.from(o, logit));
  const w = new Float64Array(m).fill(1 / m);
  let b = 0;
  const rate = 0.5;
  for (let step = 0; step < STEPS; step += 1) {
    const gw = new Float64Array(m);
    let gb = 0;
    for (let r = 0; r < rows; r += 1) {
      let s = b;
      for (let k = 0; k < m; k += 1) s += (w[k] as number) * ((z[k] as Float64Array)[r] as number);
      const err = 1 / (1 + Math.exp(-s)) - (d.labels[r] as number);
      gb += err;
      for (let k = 0; k < m; k += 1) gw[k] = (gw[k] as number) + err * ((z[k] as Float64Array)[r] as number);
    }
    // Logits can be large; scale the step by their spread so descent stays stable.
    for (let k = 0; k < m; k += 1) w[k] = (w[k] as number) - (rate / 10) * ((gw[k] as number) / rows + 1e-3 * (w[k] as number));
    b -= rate * (gb / rows);
  }
  return { kind: 'stacking', weights: Array.from(w), bias: b };
}

/** Softmax gate over the bases, linear in the features, trained on the mixture's cross-entropy. */
function fitMixture(d: CombinerData): Combiner {
  const m = d.outputs.length;
  const rows = d.labels.length;
  const width = d.width;
  const gate = Array.from({ length: m }, () => new Float64Array(width));
  const bias = new Float64Array(m);
  const g = new Float64Array(m);
  const rate = 0.5;
  for (let step = 0; step < STEPS / 2; step += 1) {
    const gGate = Array.from({ length: m }, () => new Float64Array(width));
    const gBias = new Float64Array(m);
    for (let r = 0; r < rows; r += 1) {
      const off = r * width;
      let max = -Infinity;
      for (let k = 0; k < m; k += 1) {
        let s = bias[k] as number;
        const wk = gate[k] as Float64Array;
        for (let c = 0; c < width; c += 1) s += (wk[c] as number) * (d.features[off + c] as number);
        g[k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < m; k += 1) {
        g[k] = Math.exp((g[k] as number) - max);
        sum += g[k] as number;
      }
      let p = 0;
      for (let k = 0; k < m; k += 1) {
        g[k] = (g[k] as number) / sum;
        p += (g[k] as number) * ((d.outputs[k] as Float32Array)[r] as number);
      }
      const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
      const y = d.labels[r] as number;
      const dp = (q - y) / (q * (1 - q));
      for (let k = 0; k < m; k += 1) {
        const dz = dp * (g[k] as number) * (((d.outputs[k] as Float32Array)[r] as number) - p);
        gBias[k] = (gBias[k] as number) + dz;
        const gk = gGate[k] as Float64Array;
        for (let c = 0; c < width; c += 1) gk[c] = (gk[c] as number) + dz * (d.features[off + c] as number);
      }
    }
    for (let k = 0; k < m; k += 1) {
      bias[k] = (bias[k] as number) - rate * ((gBias[k] as number) / rows);
      const wk = gate[k] as Float64Array;
      const gk = gGate[k] as Float64Array;
      for (let c = 0; c < width; c += 1) wk[c] = (wk[c] as number) - rate * ((gk[c] as number) / rows + 1e-3 * (wk[c] as number));
    }
  }
  return { kind: 'mixture-of-experts', gate: gate.map((w) => Array.from(w)), gateBias: Array.from(bias) };
}

/** Fits one combiner of the given kind on validation data. */
export function fitCombiner(kind: CombinerKind, d: CombinerData): Combiner {
  switch (kind) {
    case 'average':
      return { kind: 'average' };
    case 'max':
      return { kind: 'max' };
    case 'stacking':
      return fitStacking(d);
    case 'mixture-of-experts':
      return d.outputs.length < 2 ? { kind: 'average' } : fitMixture(d);
  }
}

/** Rows `from`..`to` of combiner data. */
export function sliceCombinerData(d: CombinerData, from: number, to: number): CombinerData {
  return {
    outputs: d.outputs.map((o) => o.subarray(from, to)),
    features: d.features.subarray(from * d.width, to * d.width),
    width: d.width,
    labels: d.labels.subarray(from, to),
  };
}

/** Scores validation data with a fitted combiner. */
export function combinerScores(c: Combiner, d: CombinerData): Float64Array {
  return combine(c, d.outputs, d.features, d.width);
}
