import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { seededRandomSource } from './random-source.js';
import { discreteLaplaceErrorBound, discreteLaplacePmf, releaseCount, releaseHistogram } from './mechanisms.js';

/** P(|Z| > k) summed from the pmf, independently of the closed form the bound uses. */
function tailBySum(scale: string, k: number): number {
  let inside = 0;
  for (let z = -k; z <= k; z++) inside += discreteLaplacePmf(scale, z);
  return 1 - inside;
}

describe('releaseCount', () => {
  it('adds discrete Laplace noise of scale Δ/ε around the true count', () => {
    const random = seededRandomSource('count');
    const xs = Array.from({ length: 4000 }, () => releaseCount(100, { epsilon: '1', sensitivity: 2 }, { random }).value);
    const m = xs.reduce((a, x) => a + Number(x), 0) / xs.length;
    const q = Math.exp(-1 / 2);
    expect(Math.abs(m - 100)).toBeLessThan(4 * Math.sqrt((2 * q) / (1 - q) ** 2 / xs.length));
    const r = releaseCount(5n, { epsilon: '0.5', sensitivity: 2 }, { random });
    expect(r.scale.toString()).toBe('4');
    expect(r.epsilon.toString()).toBe('1/2');
    expect(r.mechanism).toBe('discrete-laplace');
    expect(Object.keys(r)).not.toContain('noise');
  });

  it('clamps at zero only when asked', () => {
    const random = seededRandomSource('clamp');
    const raw = Array.from({ length: 200 }, () => releaseCount(0, { epsilon: '1/2' }, { random }).value);
    expect(raw.some((v) => v < 0n)).toBe(true);
    const clamped = Array.from({ length: 200 }, () => releaseCount(0, { epsilon: '1/2', clampAtZero: true }, { random }).value);
    expect(clamped.every((v) => v >= 0n)).toBe(true);
  });

  it('is reproducible with a seeded source', () => {
    const run = (): bigint[] => {
      const random = seededRandomSource('rep');
      return [1, 2, 3].map((c) => releaseCount(c, { epsilon: '0.3' }, { random }).value);
    };
    expect(run()).toEqual(run());
  });

  it.each([
    [{ epsilon: '0' }, /epsilon must be greater than 0/],
    [{ epsilon: '-1' }, /epsilon must be greater than 0/],
    [{ epsilon: 'high' }, /not a number/],
    [{ epsilon: '1', sensitivity: 0 }, /sensitivity must be a positive integer/],
    [{ epsilon: '1', sensitivity: 1.5 }, /sensitivity must be a positive integer/],
  ])('rejects bad parameters %j', (params, message) => {
    expect(() => releaseCount(3, params, { random: seededRandomSource('x') })).toThrow(message);
    expect(() => releaseCount(3, params, { random: seededRandomSource('x') })).toThrow(InputError);
  });

  it('rejects a non-integer count', () => {
    expect(() => releaseCount(2.5, { epsilon: '1' }, { random: seededRandomSource('x') })).toThrow(/count must be an integer/);
  });
});

describe('releaseHistogram', () => {
  it('noises every bin with the same scale and keeps the labels', () => {
    const random = seededRandomSource('hist');
    const h = releaseHistogram({ 'ip-dst': 40, domain: 12, md5: 0 }, { epsilon: '1/4', clampAtZero: true }, { random });
    expect(Object.keys(h.values)).toEqual(['ip-dst', 'domain', 'md5']);
    expect(h.scale.toString()).toBe('4');
    expect(Object.values(h.values).every((v) => v >= 0n)).toBe(true);
  });

  it('checks every bin before drawing any noise', () => {
    expect(() => releaseHistogram({ a: 1, b: Number.NaN }, { epsilon: '1' }, { random: seededRandomSource('x') })).toThrow(/counts\.b must be an integer/);
  });
});

describe('discreteLaplaceErrorBound', () => {
  it('gives the smallest k with P(|noise| > k) ≤ 1 − confidence', () => {
    expect(discreteLaplaceErrorBound('1', 1, 0.95)).toBe(3);
    // [ε, Δ, confidence, scale Δ/ε]
    for (const [eps, delta, conf, scale] of [['1', 1, 0.95, '1'], ['0.1', 1, 0.99, '10'], ['1/3', 2, 0.9, '6'], ['5', 1, 0.5, '0.2'], ['0.01', 3, 0.999, '300']] as const) {
      const k = discreteLaplaceErrorBound(eps, delta, conf);
      expect(tailBySum(scale, k)).toBeLessThanOrEqual(1 - conf + 1e-12);
      if (k > 0) expect(tailBySum(scale, k - 1)).toBeGreaterThan(1 - conf);
    }
  });

  it('grows as ε shrinks', () => {
    expect(discreteLaplaceErrorBound('0.1', 1, 0.95)).toBeGreaterThan(discreteLaplaceErrorBound('1', 1, 0.95));
  });

  it('rejects a confidence outside (0, 1) and bad ε', () => {
    expect(() => discreteLaplaceErrorBound('1', 1, 1)).toThrow(/confidence/);
    expect(() => discreteLaplaceErrorBound('1', 1, 0)).toThrow(/confidence/);
    expect(() => discreteLaplaceErrorBound('0', 1, 0.9)).toThrow(/epsilon/);
  });
});
