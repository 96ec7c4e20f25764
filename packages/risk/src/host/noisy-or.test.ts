import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { noisyOr } from './noisy-or.js';

describe('noisyOr', () => {
  it('is 1 − Π(1 − p)', () => {
    expect(noisyOr([])).toBe(0);
    expect(noisyOr([0.3])).toBeCloseTo(0.3, 12);
    expect(noisyOr([0.5, 0.5])).toBeCloseTo(0.75, 12);
    expect(noisyOr([0.1, 0.2, 0.3])).toBeCloseTo(1 - 0.9 * 0.8 * 0.7, 12);
    expect(noisyOr([0.2, 1])).toBe(1);
  });
  it('keeps precision for many tiny probabilities', () => {
    expect(noisyOr(Array.from({ length: 1000 }, () => 1e-12))).toBeCloseTo(1e-9, 18);
  });
  it('never decreases when a term is added and stays in [0, 1]', () => {
    const ps = [0.01, 0.4, 0.0001, 0.9, 0.3];
    let prev = 0;
    for (let i = 1; i <= ps.length; i++) {
      const v = noisyOr(ps.slice(0, i));
      expect(v).toBeGreaterThanOrEqual(prev);
      expect(v).toBeLessThanOrEqual(1);
      prev = v;
    }
  });
  it.each([[-0.1], [1.5], [Number.NaN]])('rejects %s', (p) => {
    expect(() => noisyOr([0.1, p])).toThrow(InputError);
  });
});
