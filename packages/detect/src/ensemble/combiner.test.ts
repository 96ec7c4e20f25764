import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { combine, parseCombiner } from './combiner.js';
import { fitCombiner } from './fit-combiner.js';

const outputs = [Float32Array.from([0.2, 0.9]), Float32Array.from([0.6, 0.7])];
const features = Float32Array.from([1, 0, 0, 1]);

describe('combiners', () => {
  it('average, max, stacking and mixture of experts combine base outputs as defined', () => {
    expect(Array.from(combine({ kind: 'average' }, outputs, features, 2)).map((v) => +v.toFixed(6))).toEqual([0.4, 0.8]);
    expect(Array.from(combine({ kind: 'max' }, outputs, features, 2)).map((v) => +v.toFixed(6))).toEqual([0.6, 0.9]);
    const stack = combine({ kind: 'stacking', weights: [1, 0], bias: 0 }, outputs, features, 2);
    expect(Array.from(stack).map((v) => +v.toFixed(6))).toEqual([0.2, 0.9]);
    // A gate that trusts base 0 on feature 0 and base 1 on feature 1.
    const moe = combine({ kind: 'mixture-of-experts', gate: [[50, 0], [0, 50]], gateBias: [0, 0] }, outputs, features, 2);
    expect(Array.from(moe).map((v) => +v.toFixed(4))).toEqual([0.2, 0.7]);
  });

  it('a fitted stacking combiner learns to trust the informative base', () => {
    const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 2);
    const good = Float32Array.from(labels, (y) => (y === 1 ? 0.8 : 0.2));
    const noise = Float32Array.from(labels, (_, i) => ((i * 7) % 10) / 10);
    const c = fitCombiner('stacking', { outputs: [good, noise], features: new Float32Array(400), width: 2, labels });
    if (c.kind !== 'stacking') throw new Error('expected stacking');
    expect(Math.abs(c.weights[0] as number)).toBeGreaterThan(Math.abs(c.weights[1] as number));
  });

  it('parseCombiner rejects combiners that do not fit the ensemble', () => {
    expect(() => parseCombiner({ kind: 'stacking', weights: [1], bias: 0 }, 2, 3)).toThrow(InputError);
    expect(() => parseCombiner({ kind: 'mixture-of-experts', gate: [[1, 2]], gateBias: [0] }, 1, 3)).toThrow(/invalid combiner/);
    expect(() => parseCombiner({ kind: 'vote' }, 1, 3)).toThrow(/average, max, stacking, mixture-of-experts/);
    expect(parseCombiner({ kind: 'max' }, 4, 3)).toEqual({ kind: 'max' });
  });
});
