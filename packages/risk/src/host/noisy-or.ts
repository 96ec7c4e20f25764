import { InputError } from '@waggle/errors';

/**
 * Noisy-OR: the probability that at least one of several independent causes
 * happens, `1 − Π(1 − pᵢ)`. Computed through log1p so that many small
 * probabilities do not lose precision.
 * @throws InputError for a probability outside [0, 1].
 */
export function noisyOr(probabilities: readonly number[]): number {
  let logNone = 0;
  for (const p of probabilities) {
    if (!(p >= 0 && p <= 1)) throw new InputError(`probability ${p} is outside [0, 1]`);
    if (p === 1) return 1;
    logNone += Math.log1p(-p);
  }
  // max() also turns the -0 of an empty product into 0.
  return Math.max(0, -Math.expm1(logNone));
}
