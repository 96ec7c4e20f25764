import type { G1, G2, GT } from '../pairing/backend.js';

/** Public parameters (g ∈ G1 and h ∈ G2 are the standard generators). */
export interface FamePublicKey {
  readonly H1: G2;
  readonly H2: G2;
  readonly T1: GT;
  readonly T2: GT;
}

/** The authority's master secret; it can derive every user key. */
export interface FameMasterKey {
  readonly a1: bigint;
  readonly a2: bigint;
  readonly b1: bigint;
  readonly b2: bigint;
  readonly gd1: G1;
  readonly gd2: G1;
  readonly gd3: G1;
}

/** A user's key for a set of attributes. */
export interface FameSecretKey {
  readonly attributes: readonly string[];
  readonly k0: readonly [G2, G2, G2];
  readonly k: ReadonlyMap<string, readonly [G1, G1, G1]>;
  readonly kp: readonly [G1, G1, G1];
}

/** A FAME ciphertext (key encapsulation) under a policy; rows follow the policy's LSSS. */
export interface FameCiphertext {
  readonly policy: string;
  readonly c0: readonly [G2, G2, G2];
  readonly c: readonly (readonly [G1, G1, G1])[];
}

/** What `encrypt` returns: the encapsulated GT element and its ciphertext. */
export interface FameEncapsulation {
  readonly key: GT;
  readonly ciphertext: FameCiphertext;
}

/** Scheme identifier written into every serialised object. */
export const FAME_SCHEME = 'FAME-CP-ABE/BLS12-381';
