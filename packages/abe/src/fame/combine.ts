import type { G1, PairingBackend } from '../pairing/backend.js';
import { Fr } from '../policy/field.js';

const MINUS_ONE = Fr.ORDER - 1n;

/**
 * Σ s_i·P_i, with coefficients 1 and −1 done as additions: Lewko–Waters matrices and the
 * reconstruction coefficients of AND/OR policies are all ±1, and a group addition costs
 * a tiny fraction of a scalar multiplication. Zero coefficients are skipped.
 */
export function combine(B: PairingBackend, points: readonly G1[], scalars: readonly bigint[]): G1 | undefined {
  let sum: G1 | undefined;
  const restP: G1[] = [];
  const restS: bigint[] = [];
  const add = (p: G1): void => {
    sum = sum === undefined ? p : B.g1Add(sum, p);
  };
  points.forEach((p, i) => {
    const s = scalars[i] ?? 0n;
    if (s === 0n) return;
    if (s === 1n) add(p);
    else if (s === MINUS_ONE) add(B.g1Neg(p));
    else {
      restP.push(p);
      restS.push(s);
    }
  });
  if (restP.length > 0) add(B.g1MulVec(restP, restS));
  return sum;
}
