import type { Rng } from './rng.js';

/** Standard normal draw (Box–Muller). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal draw: `exp(N(mu, sigma))`; the median is `exp(mu)`. */
export function logNormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(normal(rng, mu, sigma));
}

/** Pareto (type I) draw with scale `xm` and shape `alpha`: heavy-tailed, infinite variance for alpha ≤ 2. */
export function pareto(rng: Rng, xm: number, alpha: number): number {
  return xm / Math.pow(1 - rng.next(), 1 / alpha);
}

/** Exponential draw with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Picks a key with probability proportional to its weight (weights ≥ 0, at least one > 0). */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const keys = Object.keys(weights) as K[];
  const total = keys.reduce((sum, k) => sum + weights[k], 0);
  let r = rng.next() * total;
  for (const key of keys) {
    r -= weights[key];
    if (r < 0) return key;
  }
  return keys[keys.length - 1] as K;
}

/** Clamps and rounds to an integer in [min, max]. */
export function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}
