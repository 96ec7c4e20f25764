import { InputError } from '@waggle/errors';
import { Rational, positiveRational, type RationalInput } from './rational.js';
import type { RandomSource } from './random-source.js';

// Exact samplers after Canonne, Kamath and Steinke, "The Discrete Gaussian for
// Differential Privacy" (NeurIPS 2020), Algorithms 1-3. Every decision is made
// on integers drawn uniformly and compared exactly, so the output distribution
// is exactly the stated one: no floating-point value is ever computed.

const ONE = Rational.of(1n);

/** Bernoulli(p) for rational p in [0, 1]: 1 with probability exactly p. */
export function sampleBernoulli(p: RationalInput, random: RandomSource): 0 | 1 {
  const q = Rational.parse(p, 'p');
  if (q.num < 0n || q.compare(ONE) > 0) throw new InputError(`p must be in [0, 1] (got ${q.toString()})`, { field: 'p' });
  return random.randomInt(q.den) < q.num ? 1 : 0;
}

/**
 * Bernoulli(exp(−γ)) for rational γ ≥ 0 (CKS20 Algorithm 1). For γ ≤ 1 it
 * draws Bernoulli(γ/k) for k = 1, 2, … until one fails and returns 1 when the
 * number of draws is odd (the alternating series of exp(−γ)); larger γ is
 * split as exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
 */
export function sampleBernoulliExp(gamma: RationalInput, random: RandomSource): 0 | 1 {
  const g = Rational.parse(gamma, 'gamma');
  if (g.num < 0n) throw new InputError(`gamma must be at least 0 (got ${g.toString()})`, { field: 'gamma' });
  return bernoulliExp(g, random);
}

function bernoulliExp(g: Rational, random: RandomSource): 0 | 1 {
  if (g.compare(ONE) <= 0) {
    let k = 1n;
    // Bernoulli(γ/k) is 1 when a uniform draw below den·k falls under num.
    while (random.randomInt(g.den * k) < g.num) k++;
    return k % 2n === 1n ? 1 : 0;
  }
  const whole = g.floor();
  for (let i = 0n; i < whole; i++) if (bernoulliExp(ONE, random) === 0) return 0;
  return bernoulliExp(g.sub(Rational.of(whole)), random);
}

/**
 * Discrete Laplace (two-sided geometric) with rational scale: P(Z = z) ∝
 * exp(−|z| / scale) over all integers (CKS20 Algorithm 2). With
 * scale = Δ/ε it is the ε-DP noise for an integer query of sensitivity Δ.
 */
export function sampleDiscreteLaplace(scale: RationalInput, random: RandomSource): bigint {
  const r = positiveRational(scale, 'scale');
  return discreteLaplace(r.num, r.den, random);
}

/** Lap_Z(t/s) for positive integers t, s. */
function discreteLaplace(t: bigint, s: bigint, random: RandomSource): bigint {
  for (;;) {
    // U/t + V is Exp(1)-distributed at resolution 1/t, built from Bernoulli(exp(−U/t)) and Geometric(1 − e^−1).
    const u = random.randomInt(t);
    if (bernoulliExp(Rational.of(u, t), random) === 0) continue;
    let v = 0n;
    while (bernoulliExp(ONE, random) === 1) v++;
    const y = (u + t * v) / s;
    const negative = random.randomInt(2n) === 1n;
    // Without this rejection, 0 would be drawn twice as often as it should (as +0 and −0).
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/** ⌊√n⌋ for n ≥ 0, by Newton's method on BigInts. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/**
 * Discrete Gaussian with rational variance parameter σ²: P(Z = z) ∝
 * exp(−z² / 2σ²) (CKS20 Algorithm 3): discrete Laplace proposals with
 * scale ⌊σ⌋ + 1, accepted with probability exp(−(|y| − σ²/t)² / 2σ²).
 */
export function sampleDiscreteGaussian(sigma2: RationalInput, random: RandomSource): bigint {
  const s2 = positiveRational(sigma2, 'sigma2');
  // ⌊√x⌋ = ⌊√⌊x⌋⌋ for x ≥ 0, so the integer square root is exact.
  const t = isqrt(s2.floor()) + 1n;
  const tR = Rational.of(t);
  const twoS2 = s2.mul(Rational.of(2n));
  for (;;) {
    const y = discreteLaplace(t, 1n, random);
    const abs = Rational.of(y < 0n ? -y : y);
    const d = abs.sub(s2.div(tR));
    if (bernoulliExp(d.mul(d).div(twoS2), random) === 1) return y;
  }
}
