import { InputError } from '@waggle/errors';
import type { G1, GT, PairingBackend } from '../pairing/backend.js';
import type { RandomSource } from '../random/random.js';
import { ATTRIBUTE_PATTERN, type PolicyNode } from '../policy/policy.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { printPolicy } from '../policy/print-policy.js';
import { compileLsss } from '../policy/compile-lsss.js';
import { reconstructionCoefficients } from '../policy/reconstruct.js';
import { Fr } from '../policy/field.js';
import { createHasher } from './hash-inputs.js';
import { combine } from './combine.js';
import type { FameCiphertext, FameEncapsulation, FameMasterKey, FamePublicKey, FameSecretKey } from './types.js';

/** Dependencies of the scheme: the pairing back-end and the randomness. */
export interface FameDeps {
  readonly backend: PairingBackend;
  readonly random: RandomSource;
}

/** FAME CP-ABE (Agrawal–Chase, CCS 2017) as a key encapsulation mechanism. */
export interface Fame {
  readonly backend: PairingBackend;
  setup(): { publicKey: FamePublicKey; masterKey: FameMasterKey };
  keygen(masterKey: FameMasterKey, attributes: Iterable<string>): FameSecretKey;
  /** Encapsulates a fresh random GT element under `policy` (text or parsed). */
  encrypt(publicKey: FamePublicKey, policy: string | PolicyNode): FameEncapsulation;
  /** The encapsulated element, or `undefined` when the key's attributes do not satisfy the policy. */
  decrypt(secretKey: FameSecretKey, ciphertext: FameCiphertext): GT | undefined;
}

/** Validates and normalises (dedupes, sorts) a key's attribute list. */
export function normaliseAttributes(attributes: Iterable<string>): string[] {
  const list = [...new Set(attributes)].sort();
  if (list.length === 0) throw new InputError('attributes: at least one attribute is required', { field: 'attributes' });
  const bad = list.filter((a) => !ATTRIBUTE_PATTERN.test(a));
  if (bad.length > 0) throw new InputError(`attributes: invalid attribute names (allowed: A-Z a-z 0-9 _ . : -): ${bad.map((b) => JSON.stringify(b)).join(', ')}`, { field: 'attributes' });
  return list;
}

/**
 * Creates the FAME scheme over a back-end. Notation follows the paper: g ∈ G1 and
 * h ∈ G2 generators, H the hash to G1 (RFC 9380), t ∈ {1, 2}, l ∈ {1, 2, 3}.
 * Every random scalar is drawn from `deps.random` in a fixed order, so fixed
 * randomness gives fixed keys and ciphertexts (the test vectors rely on it).
 */
export function createFame(deps: FameDeps): Fame {
  const { backend: B, random } = deps;
  const H = createHasher(B);
  const g = B.g1Generator();
  const h = B.g2Generator();
  const scalar = (): bigint => {
    for (;;) {
      // 48 bytes reduced mod r: the bias is below 2^-128.
      const s = Fr.create(BigInt(`0x${Buffer.from(random(48)).toString('hex')}`));
      if (s !== 0n) return s;
    }
  };

  const setup: Fame['setup'] = () => {
    const [a1, a2, b1, b2, d1, d2, d3] = [scalar(), scalar(), scalar(), scalar(), scalar(), scalar(), scalar()];
    const e = B.pairing(g, h);
    return {
      publicKey: { H1: B.g2Mul(h, a1), H2: B.g2Mul(h, a2), T1: B.gtPow(e, Fr.add(Fr.mul(d1, a1), d3)), T2: B.gtPow(e, Fr.add(Fr.mul(d2, a2), d3)) },
      masterKey: { a1, a2, b1, b2, gd1: B.g1Mul(g, d1), gd2: B.g1Mul(g, d2), gd3: B.g1Mul(g, d3) },
    };
  };

  const keygen: Fame['keygen'] = (msk, attributes) => {
    const list = normaliseAttributes(attributes);
    const r1 = scalar();
    const r2 = scalar();
    const br1 = Fr.mul(msk.b1, r1);
    const br2 = Fr.mul(msk.b2, r2);
    const rr = Fr.add(r1, r2);
    const k0 = [B.g2Mul(h, br1), B.g2Mul(h, br2), B.g2Mul(h, rr)] as const;
    const inv = [Fr.inv(msk.a1), Fr.inv(msk.a2)] as const;
    // H(·1t)^{b1·r1/a_t} · H(·2t)^{b2·r2/a_t} · H(·3t)^{(r1+r2)/a_t} · g^{σ/a_t}
    const part = (hash: (l: number, t: number) => G1, sigma: bigint, t: 1 | 2): G1 => {
      const ia = t === 1 ? inv[0] : inv[1];
      return B.g1MulVec([hash(1, t), hash(2, t), hash(3, t), g], [Fr.mul(br1, ia), Fr.mul(br2, ia), Fr.mul(rr, ia), Fr.mul(sigma, ia)]);
    };
    const k = new Map<string, readonly [G1, G1, G1]>();
    for (const y of list) {
      const sigma = scalar();
      const hy = (l: number, t: number): G1 => H.attribute(y, l, t);
      k.set(y, [part(hy, sigma, 1), part(hy, sigma, 2), B.g1Mul(g, Fr.neg(sigma))]);
    }
    const sigmaP = scalar();
    const h0 = (l: number, t: number): G1 => H.column(1, l, t);
    const kp = [B.g1Add(msk.gd1, part(h0, sigmaP, 1)), B.g1Add(msk.gd2, part(h0, sigmaP, 2)), B.g1Add(msk.gd3, B.g1Mul(g, Fr.neg(sigmaP)))] as const;
    return { attributes: list, k0, k, kp };
  };

  const encrypt: Fame['encrypt'] = (pk, policyInput) => {
    const policy = typeof policyInput === 'string' ? parsePolicy(policyInput) : policyInput;
    const lsss = compileLsss(policy);
    const s1 = scalar();
    const s2 = scalar();
    const c0 = [B.g2Mul(pk.H1, s1), B.g2Mul(pk.H2, s2), B.g2Mul(h, Fr.add(s1, s2))] as const;
    // c_{i,l} = H(ρ(i) l 1)^{s1} · H(ρ(i) l 2)^{s2} · Π_j [H(0 j l 1)^{s1} · H(0 j l 2)^{s2}]^{M_ij}
    //         = X_t=1^{s1} · X_t=2^{s2} with X_t = H(ρ(i) l t) · Π_j H(0 j l t)^{M_ij}.
    // Matrix entries are mostly 0 and ±1, so X_t costs additions and each c_{i,l} two scalar
    // multiplications, whatever the number of columns.
    const c = lsss.rows.map((row) => {
      const x = (l: number, t: number): G1 => {
        const cols = combine(B, row.vector.map((_, j) => H.column(j + 1, l, t)), row.vector);
        const own = H.attribute(row.attribute, l, t);
        return cols === undefined ? own : B.g1Add(own, cols);
      };
      const one = (l: number): G1 => B.g1MulVec([x(l, 1), x(l, 2)], [s1, s2]);
      return [one(1), one(2), one(3)] as const;
    });
    const key = B.gtMul(B.gtPow(pk.T1, s1), B.gtPow(pk.T2, s2));
    return { key, ciphertext: { policy: printPolicy(policy), c0, c } };
  };

  const decrypt: Fame['decrypt'] = (sk, ct) => {
    const policy = parsePolicy(ct.policy);
    const lsss = compileLsss(policy);
    if (lsss.rows.length !== ct.c.length) throw new InputError(`ciphertext: ${ct.c.length} rows for a policy with ${lsss.rows.length} attributes`, { field: 'ciphertext' });
    const terms = reconstructionCoefficients(policy, sk.attributes);
    if (terms === undefined) return undefined;
    const num: G1[] = [];
    const den: G1[] = [];
    for (let l = 0; l < 3; l += 1) {
      const cts: G1[] = [];
      const keys: G1[] = [sk.kp[l] as G1];
      const gammas: bigint[] = [];
      for (const { row, coefficient } of terms) {
        const attr = lsss.rows[row]?.attribute as string;
        cts.push((ct.c[row] as readonly [G1, G1, G1])[l] as G1);
        keys.push((sk.k.get(attr) as readonly [G1, G1, G1])[l] as G1);
        gammas.push(coefficient);
      }
      num.push(combine(B, keys, [1n, ...gammas]) as G1);
      const cl = combine(B, cts, gammas);
      den.push(cl === undefined ? B.g1Mul(g, 0n) : B.g1Neg(cl));
    }
    // Π_l e(kp_l · Π k_{ρ(i),l}^{γ_i}, c0_l) / e(Π c_{i,l}^{γ_i}, k0_l) = T1^{s1}·T2^{s2}: the paper's
    // ct'·num/den with the roles written for a KEM. One final exponentiation for all six.
    return B.pairingProduct(([0, 1, 2] as const).flatMap((l) => [[num[l] as G1, ct.c0[l]] as const, [den[l] as G1, sk.k0[l]] as const]));
  };

  return { backend: B, setup, keygen, encrypt, decrypt };
}
