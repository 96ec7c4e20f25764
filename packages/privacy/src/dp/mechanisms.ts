import { InputError } from '@waggle/errors';
import { Rational, positiveRational, type RationalInput } from './rational.js';
import type { RandomSource } from './random-source.js';
import { sampleDiscreteLaplace } from './samplers.js';

/** Privacy parameters of one release. */
export interface ReleaseParams {
  /** ε of this release, e.g. `"0.5"` or `"1/3"`; must be > 0. */
  readonly epsilon: RationalInput;
  /**
   * L1 sensitivity Δ: by how much one contributor (one reporting organisation,
   * one attacker IP…) can change the count, or for a histogram the sum over
   * all bins. A positive integer; default 1.
   */
  readonly sensitivity?: number;
  /** Report max(0, noisy) instead of the raw noisy value. Post-processing: costs no privacy, but biases small counts upwards. */
  readonly clampAtZero?: boolean;
}

/** What the mechanisms need from outside: the randomness. */
export interface ReleaseDeps {
  readonly random: RandomSource;
}

/** One noisy count. The noise itself is deliberately not returned: passing it on would undo the protection. */
export interface ReleasedCount {
  readonly value: bigint;
  readonly epsilon: Rational;
  readonly sensitivity: number;
  /** Δ/ε, the discrete Laplace scale used. */
  readonly scale: Rational;
  readonly mechanism: 'discrete-laplace';
}

/** A noisy histogram: every bin released with the same scale. */
export interface ReleasedHistogram {
  readonly values: Record<string, bigint>;
  readonly epsilon: Rational;
  readonly sensitivity: number;
  readonly scale: Rational;
  readonly mechanism: 'discrete-laplace';
}

function sensitivityOf(s: number | undefined): number {
  const v = s ?? 1;
  if (!Number.isSafeInteger(v) || v < 1) throw new InputError(`sensitivity must be a positive integer (got ${String(s)})`, { field: 'sensitivity' });
  return v;
}

function countOf(c: number | bigint, field: string): bigint {
  if (typeof c === 'bigint') return c;
  if (!Number.isSafeInteger(c)) throw new InputError(`${field} must be an integer (got ${String(c)})`, { field });
  return BigInt(c);
}

function scaleOf(params: ReleaseParams): { epsilon: Rational; sensitivity: number; scale: Rational } {
  const epsilon = positiveRational(params.epsilon, 'epsilon');
  const sensitivity = sensitivityOf(params.sensitivity);
  return { epsilon, sensitivity, scale: Rational.of(BigInt(sensitivity)).div(epsilon) };
}

/**
 * Releases a count with ε-differential privacy: count + Lap_Z(Δ/ε), noise
 * drawn exactly. The caller charges ε to the recipient's budget first
 * (see `createBudgetLedger`).
 */
export function releaseCount(count: number | bigint, params: ReleaseParams, deps: ReleaseDeps): ReleasedCount {
  const c = countOf(count, 'count');
  const { epsilon, sensitivity, scale } = scaleOf(params);
  const noisy = c + sampleDiscreteLaplace(scale, deps.random);
  return { value: params.clampAtZero === true && noisy < 0n ? 0n : noisy, epsilon, sensitivity, scale, mechanism: 'discrete-laplace' };
}

/**
 * Releases every bin of a histogram with ε-DP as a whole. Each bin gets
 * independent Lap_Z(Δ/ε) noise, which is ε-DP when `sensitivity` bounds the
 * L1 change one contributor can make to the whole vector. For disjoint bins
 * where a contributor falls in exactly one bin (parallel composition) that is
 * the per-bin sensitivity; if one contributor can appear in up to m bins with
 * up to c each, pass m·c. The bin labels themselves are released as given, so
 * they must be public (a fixed list of types or days), not derived from data.
 */
export function releaseHistogram(counts: Readonly<Record<string, number | bigint>>, params: ReleaseParams, deps: ReleaseDeps): ReleasedHistogram {
  const checked = Object.entries(counts).map(([label, c]) => [label, countOf(c, `counts.${label}`)] as const);
  const { epsilon, sensitivity, scale } = scaleOf(params);
  const values: Record<string, bigint> = {};
  for (const [label, c] of checked) {
    const noisy = c + sampleDiscreteLaplace(scale, deps.random);
    values[label] = params.clampAtZero === true && noisy < 0n ? 0n : noisy;
  }
  return { values, epsilon, sensitivity, scale, mechanism: 'discrete-laplace' };
}

/**
 * The smallest k ≥ 0 with P(|Z| > k) ≤ 1 − confidence for Z ~ Lap_Z(Δ/ε),
 * from the exact tail P(|Z| > k) = 2q^(k+1) / (1 + q), q = exp(−ε/Δ).
 * E.g. ε = 1, Δ = 1, confidence 0.95 → 3: the released count is within ±3 of
 * the true one 95% of the time. Floats are fine here: this describes the
 * noise for a utility report, it does not draw it.
 */
export function discreteLaplaceErrorBound(epsilon: RationalInput, sensitivity: number, confidence: number): number {
  const eps = positiveRational(epsilon, 'epsilon');
  const delta = sensitivityOf(sensitivity);
  if (!(confidence > 0 && confidence < 1)) throw new InputError(`confidence must be strictly between 0 and 1 (got ${String(confidence)})`, { field: 'confidence' });
  const lnQ = -eps.toNumber() / delta;
  const q = Math.exp(lnQ);
  const beta = 1 - confidence;
  const tail = (k: number): number => (2 * Math.exp(lnQ * (k + 1))) / (1 + q);
  let k = Math.max(0, Math.ceil(Math.log((beta * (1 + q)) / 2) / lnQ) - 1);
  // The closed form can be off by one through rounding; settle on the exact smallest k.
  while (k > 0 && tail(k - 1) <= beta) k--;
  while (tail(k) > beta) k++;
  return k;
}

/** P(Z = z) for Z ~ Lap_Z(scale): (1 − q)/(1 + q) · q^|z|, q = exp(−1/scale). For tests and reports. */
export function discreteLaplacePmf(scale: RationalInput, z: number): number {
  const q = Math.exp(-1 / positiveRational(scale, 'scale').toNumber());
  return ((1 - q) / (1 + q)) * q ** Math.abs(z);
}
