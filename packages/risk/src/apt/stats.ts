/** A proportion with its 95 % Agresti–Coull interval. */
export interface Proportion {
  readonly x: number;
  readonly n: number;
  /** x / n (0 when n = 0). */
  readonly p: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Agresti–Coull interval: ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z·√(p̃(1−p̃)/ñ), clipped to [0, 1].
 * Chosen by the paper because it behaves at proportions near 0 and 1, unlike the Wald interval.
 */
export function agrestiCoull(x: number, n: number, z = 1.96): Proportion {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0 || x > n) throw new RangeError(`agrestiCoull: need integers 0 ≤ x ≤ n, got x=${x}, n=${n}`);
  const nTilde = n + z * z;
  const pTilde = (x + (z * z) / 2) / nTilde;
  const half = z * Math.sqrt((pTilde * (1 - pTilde)) / nTilde);
  return { x, n, p: n === 0 ? 0 : x / n, low: Math.max(0, pTilde - half), high: Math.min(1, pTilde + half) };
}

/**
 * Odds ratio of compromise (x/(n−x)) against a baseline (x0/(n0−x0)); undefined when either
 * odds is 0 or infinite (no ratio exists), rather than a misleading 0 or Infinity.
 */
export function oddsRatio(x: number, n: number, x0: number, n0: number): number | undefined {
  const num = x * (n0 - x0);
  const den = (n - x) * x0;
  return num === 0 || den === 0 ? undefined : num / den;
}
