import { bls12_381 } from '@noble/curves/bls12-381';

/** The BLS12-381 scalar field Zr (order r): the field the secret shares live in. */
export const Fr = bls12_381.fields.Fr;

/** `x mod r` in [0, r), for possibly negative matrix entries. */
export function modR(x: bigint): bigint {
  const m = x % Fr.ORDER;
  return m < 0n ? m + Fr.ORDER : m;
}
