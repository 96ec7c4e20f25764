import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { seededRandomSource } from './random-source.js';
import { sampleBernoulli, sampleBernoulliExp, sampleDiscreteGaussian, sampleDiscreteLaplace } from './samplers.js';
import { discreteLaplacePmf } from './mechanisms.js';

/** Pearson chi-square of `samples` against `pmf` on −w..w, both tails pooled into one bin each. */
function chiSquare(samples: readonly bigint[], pmf: (z: number) => number, w: number): number {
  const n = samples.length;
  const observed = new Map<number, number>();
  for (const s of samples) {
    const z = Math.max(-w - 1, Math.min(w + 1, Number(s)));
    observed.set(z, (observed.get(z) ?? 0) + 1);
  }
  let inside = 0;
  let chi = 0;
  for (let z = -w; z <= w; z++) {
    const p = pmf(z);
    inside += p;
    chi += ((observed.get(z) ?? 0) - n * p) ** 2 / (n * p);
  }
  const tail = (1 - inside) / 2;
  for (const z of [-w - 1, w + 1]) chi += ((observed.get(z) ?? 0) - n * tail) ** 2 / (n * tail);
  return chi;
}

const draw = (n: number, f: () => bigint): bigint[] => Array.from({ length: n }, f);
const mean = (xs: readonly bigint[]): number => xs.reduce((a, x) => a + Number(x), 0) / xs.length;
const variance = (xs: readonly bigint[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (Number(x) - m) ** 2, 0) / (xs.length - 1);
};

describe('sampleBernoulli', () => {
  it('is exact at 0 and 1 and has the right frequency in between', () => {
    const rnd = seededRandomSource('bern');
    for (let i = 0; i < 50; i++) {
      expect(sampleBernoulli('0', rnd)).toBe(0);
      expect(sampleBernoulli('1', rnd)).toBe(1);
    }
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) ones += sampleBernoulli('1/3', rnd);
    expect(Math.abs(ones / n - 1 / 3)).toBeLessThan(4 * Math.sqrt((1 / 3) * (2 / 3) / n));
  });

  it('rejects p outside [0, 1]', () => {
    const rnd = seededRandomSource('bern');
    expect(() => sampleBernoulli('3/2', rnd)).toThrow(InputError);
    expect(() => sampleBernoulli('-0.1', rnd)).toThrow(/p must be in \[0, 1\]/);
  });
});

describe('sampleBernoulliExp (CKS20 Algorithm 1)', () => {
  it.each([['0.5', 0.5], ['1', 1], ['3/2', 1.5], ['2.75', 2.75]] as const)('returns 1 with frequency exp(-%s)', (gamma, g) => {
    const rnd = seededRandomSource(`bexp-${gamma}`);
    const n = 20_000;
    let ones = 0;
    for (let i = 0; i < n; i++) ones += sampleBernoulliExp(gamma, rnd);
    const p = Math.exp(-g);
    expect(Math.abs(ones / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it('always returns 1 for gamma = 0 and rejects negative gamma', () => {
    const rnd = seededRandomSource('bexp0');
    for (let i = 0; i < 100; i++) expect(sampleBernoulliExp('0', rnd)).toBe(1);
    expect(() => sampleBernoulliExp('-1/2', rnd)).toThrow(/gamma must be at least 0/);
  });
});

describe('sampleDiscreteLaplace (CKS20 Algorithm 2)', () => {
  const N = 30_000;
  const scale = '2'; // ε = 1/2, Δ = 1
  const samples = draw(N, ((rnd) => () => sampleDiscreteLaplace(scale, rnd))(seededRandomSource('laplace')));
  const q = Math.exp(-1 / 2);

  it('matches the exact pmf (chi-square, 22 d.f., below the 0.999 quantile 48.3)', () => {
    expect(chiSquare(samples, (z) => discreteLaplacePmf(scale, z), 10)).toBeLessThan(48.3);
  });

  it('the same chi-square test rejects a wrong scale (the test has power)', () => {
    expect(chiSquare(samples, (z) => discreteLaplacePmf('2.4', z), 10)).toBeGreaterThan(100);
  });

  it('has mean ≈ 0 and variance ≈ 2q/(1−q)²', () => {
    const v = 2 * q / (1 - q) ** 2;
    expect(Math.abs(mean(samples))).toBeLessThan(4 * Math.sqrt(v / N));
    expect(Math.abs(variance(samples) / v - 1)).toBeLessThan(0.05);
  });

  it('handles a fractional scale (t/s with s > 1)', () => {
    const rnd = seededRandomSource('laplace-frac');
    const xs = draw(20_000, () => sampleDiscreteLaplace('2/3', rnd));
    expect(chiSquare(xs, (z) => discreteLaplacePmf('2/3', z), 4)).toBeLessThan(33.0); // 10 d.f., 0.9995 quantile
  });

  it('is deterministic for a seed', () => {
    const a = seededRandomSource('same');
    const b = seededRandomSource('same');
    expect(draw(50, () => sampleDiscreteLaplace('5', a))).toEqual(draw(50, () => sampleDiscreteLaplace('5', b)));
  });

  it('rejects a scale ≤ 0 or non-numeric', () => {
    const rnd = seededRandomSource('x');
    expect(() => sampleDiscreteLaplace('0', rnd)).toThrow(/scale must be greater than 0/);
    expect(() => sampleDiscreteLaplace('lots', rnd)).toThrow(InputError);
  });
});

describe('sampleDiscreteGaussian (CKS20 Algorithm 3)', () => {
  it('matches exp(−z²/2σ²) normalised (chi-square, 16 d.f.) and has variance ≈ σ²', () => {
    const rnd = seededRandomSource('gauss');
    const sigma2 = 9 / 2;
    const xs = draw(20_000, () => sampleDiscreteGaussian('9/2', rnd));
    let norm = 0;
    for (let z = -60; z <= 60; z++) norm += Math.exp(-(z * z) / (2 * sigma2));
    const pmf = (z: number): number => Math.exp(-(z * z) / (2 * sigma2)) / norm;
    expect(chiSquare(xs, pmf, 7)).toBeLessThan(39.3); // 0.999 quantile of 16 d.f.
    expect(Math.abs(mean(xs))).toBeLessThan(4 * Math.sqrt(sigma2 / xs.length));
    expect(Math.abs(variance(xs) / sigma2 - 1)).toBeLessThan(0.05);
  });

  it('works for σ² < 1 and rejects σ² ≤ 0', () => {
    const rnd = seededRandomSource('gauss-small');
    const xs = draw(5000, () => sampleDiscreteGaussian('1/4', rnd));
    expect(xs.every((x) => x >= -4n && x <= 4n)).toBe(true);
    expect(() => sampleDiscreteGaussian('0', rnd)).toThrow(/sigma2 must be greater than 0/);
  });
});
