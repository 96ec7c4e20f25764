import { InputError } from '@waggle/errors';

/** Combiner kinds of the reference design. */
export const COMBINER_KINDS = ['average', 'max', 'stacking', 'mixture-of-experts'] as const;
export type CombinerKind = (typeof COMBINER_KINDS)[number];

/**
 * How base-network outputs become one score. Stacking is a logistic regression on the
 * bases' logits; the mixture of experts weights the bases with a softmax gate that is
 * linear in the (scaled) flow features.
 */
export type Combiner =
  | { readonly kind: 'average' }
  | { readonly kind: 'max' }
  | { readonly kind: 'stacking'; readonly weights: readonly number[]; readonly bias: number }
  | { readonly kind: 'mixture-of-experts'; readonly gate: readonly (readonly number[])[]; readonly gateBias: readonly number[] };

/** Base outputs: one probability array per base net, all of length `rows`. */
export type BaseOutputs = readonly Float32Array[];

function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Applies a combiner; `features` (row-major, `width` columns) is used by the mixture of experts. */
export function combine(combiner: Combiner, outputs: BaseOutputs, features: Float32Array, width: number): Float64Array {
  const rows = outputs[0]?.length ?? 0;
  const m = outputs.length;
  const out = new Float64Array(rows);
  const gateRow = new Float64Array(m);
  for (let r = 0; r < rows; r += 1) {
    switch (combiner.kind) {
      case 'average': {
        let s = 0;
        for (let k = 0; k < m; k += 1) s += (outputs[k] as Float32Array)[r] as number;
        out[r] = s / m;
        break;
      }
      case 'max': {
        let s = 0;
        for (let k = 0; k < m; k += 1) s = Math.max(s, (outputs[k] as Float32Array)[r] as number);
        out[r] = s;
        break;
      }
      case 'stacking': {
        let z = combiner.bias;
        for (let k = 0; k < m; k += 1) z += (combiner.weights[k] as number) * logit((outputs[k] as Float32Array)[r] as number);
        out[r] = sigmoid(z);
        break;
      }
      case 'mixture-of-experts': {
        softmaxGate(combiner.gate, combiner.gateBias, features, r * width, width, gateRow);
        let s = 0;
        for (let k = 0; k < m; k += 1) s += (gateRow[k] as number) * ((outputs[k] as Float32Array)[r] as number);
        out[r] = s;
        break;
      }
    }
  }
  return out;
}

/** Softmax over `gate · x + bias` for one row, written into `out`. */
export function softmaxGate(gate: readonly (readonly number[])[], bias: readonly number[], x: Float32Array, offset: number, width: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < gate.length; k += 1) {
    const w = gate[k] as readonly number[];
    let z = bias[k] as number;
    for (let c = 0; c < width; c += 1) z += (w[c] as number) * (x[offset + c] as number);
    out[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < gate.length; k += 1) {
    const e = Math.exp((out[k] as number) - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < gate.length; k += 1) out[k] = (out[k] as number) / sum;
}

/** Checks a combiner read from disk against the number of bases and features. */
export function parseCombiner(value: unknown, bases: number, width: number): Combiner {
  const c = value as Partial<Record<string, unknown>> | null;
  const nums = (a: unknown, n: number): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (c !== null && typeof c === 'object') {
    if (c.kind === 'average' || c.kind === 'max') return { kind: c.kind };
    if (c.kind === 'stacking' && nums(c.weights, bases) && typeof c.bias === 'number') return c as unknown as Combiner;
    if (c.kind === 'mixture-of-experts' && Array.isArray(c.gate) && c.gate.length === bases && c.gate.every((g) => nums(g, width)) && nums(c.gateBias, bases)) {
      return c as unknown as Combiner;
    }
  }
  throw new InputError(`invalid combiner (expected one of ${COMBINER_KINDS.join(', ')} matching ${bases} base nets)`);
}
