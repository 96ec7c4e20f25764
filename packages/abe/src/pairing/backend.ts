/** An element of G1 (BLS12-381, 48-byte compressed). Opaque: only its back-end can use it. */
export interface G1 {
  readonly __brand: 'G1';
}
/** An element of G2 (96-byte compressed). */
export interface G2 {
  readonly __brand: 'G2';
}
/** An element of GT ⊂ Fp12 (576 bytes). */
export interface GT {
  readonly __brand: 'GT';
}

/** Names of the available back-ends. */
export type BackendName = 'mcl' | 'noble';

/**
 * The pairing operations the schemes need, over BLS12-381 (type III: e: G1 × G2 → GT).
 * Scalars are bigints in [0, r). Serialisation is canonical and identical across
 * back-ends: G1/G2 in the compressed ZCash format, GT as 12 big-endian 48-byte Fp
 * coefficients (see README). Deserialisers reject points that are not on the curve or
 * not in the prime-order subgroup.
 */
export interface PairingBackend {
  readonly name: BackendName;
  g1Generator(): G1;
  g2Generator(): G2;
  g1Add(a: G1, b: G1): G1;
  g1Neg(a: G1): G1;
  g1Mul(a: G1, s: bigint): G1;
  /** Σ s_i·P_i (a multi-scalar multiplication). */
  g1MulVec(points: readonly G1[], scalars: readonly bigint[]): G1;
  g1Equal(a: G1, b: G1): boolean;
  g2Mul(a: G2, s: bigint): G2;
  g2Equal(a: G2, b: G2): boolean;
  gtMul(a: GT, b: GT): GT;
  gtDiv(a: GT, b: GT): GT;
  gtPow(a: GT, s: bigint): GT;
  gtEqual(a: GT, b: GT): boolean;
  pairing(a: G1, b: G2): GT;
  /** Π e(P_i, Q_i) with one final exponentiation. */
  pairingProduct(pairs: readonly (readonly [G1, G2])[]): GT;
  /** hash_to_curve (RFC 9380, BLS12381G1_XMD:SHA-256_SSWU_RO_) with the given domain separation tag. */
  hashToG1(message: Uint8Array, dst: string): G1;
  g1ToBytes(a: G1): Uint8Array;
  g1FromBytes(bytes: Uint8Array): G1;
  g2ToBytes(a: G2): Uint8Array;
  g2FromBytes(bytes: Uint8Array): G2;
  gtToBytes(a: GT): Uint8Array;
  gtFromBytes(bytes: Uint8Array): GT;
}

/** Byte lengths of the canonical encodings. */
export const ENCODED_LENGTH = { g1: 48, g2: 96, gt: 576, scalar: 32 } as const;
