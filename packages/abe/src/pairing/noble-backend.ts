import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { InputError } from '@waggle/errors';
import { ENCODED_LENGTH, type G1, type G2, type GT, type PairingBackend } from './backend.js';

type P1 = InstanceType<typeof bls.G1.ProjectivePoint>;
type P2 = InstanceType<typeof bls.G2.ProjectivePoint>;
type F12 = ReturnType<typeof bls.fields.Fp12.create>;

const Fp12 = bls.fields.Fp12;
const P1c = bls.G1.ProjectivePoint;
const P2c = bls.G2.ProjectivePoint;
const p1 = (x: G1): P1 => x as unknown as P1;
const p2 = (x: G2): P2 => x as unknown as P2;
const ft = (x: GT): F12 => x as unknown as F12;
const g1 = (x: P1): G1 => x as unknown as G1;
const g2 = (x: P2): G2 => x as unknown as G2;
const gt = (x: F12): GT => x as unknown as GT;

function decode<T>(kind: string, length: number, bytes: Uint8Array, parse: () => T): T {
  if (bytes.length !== length) throw new InputError(`${kind}: expected ${length} bytes, got ${bytes.length}`, { field: kind });
  try {
    return parse();
  } catch (cause) {
    throw new InputError(`${kind}: not a valid encoding (${cause instanceof Error ? cause.message : String(cause)})`, { field: kind });
  }
}

// noble's constant-time multiply rejects 0, which legitimately occurs (e.g. a zero matrix entry).
const mul1 = (a: P1, s: bigint): P1 => (s === 0n ? P1c.ZERO : a.multiply(s));

/**
 * The `@noble/curves` back-end: audited pure TypeScript, about an order of magnitude
 * slower than mcl; kept as the reference the fast back-end is checked against.
 */
export function createNobleBackend(): PairingBackend {
  return {
    name: 'noble',
    g1Generator: () => g1(P1c.BASE),
    g2Generator: () => g2(P2c.BASE),
    g1Add: (a, b) => g1(p1(a).add(p1(b))),
    g1Neg: (a) => g1(p1(a).negate()),
    g1Mul: (a, s) => g1(mul1(p1(a), s)),
    g1MulVec: (points, scalars) => g1(points.reduce<P1>((acc, p, i) => acc.add(mul1(p1(p), scalars[i] ?? 0n)), P1c.ZERO)),
    g1Equal: (a, b) => p1(a).equals(p1(b)),
    g2Mul: (a, s) => g2(s === 0n ? P2c.ZERO : p2(a).multiply(s)),
    g2Equal: (a, b) => p2(a).equals(p2(b)),
    gtMul: (a, b) => gt(Fp12.mul(ft(a), ft(b))),
    gtDiv: (a, b) => gt(Fp12.div(ft(a), ft(b))),
    gtPow: (a, s) => gt(Fp12.pow(ft(a), s)),
    gtEqual: (a, b) => Fp12.eql(ft(a), ft(b)),
    pairing: (a, b) => gt(bls.pairing(p1(a), p2(b))),
    pairingProduct: (pairs) => gt(bls.pairingBatch(pairs.map(([a, b]) => ({ g1: p1(a), g2: p2(b) })))),
    hashToG1: (message, dst) => {
      const h = bls.G1.hashToCurve(message, { DST: dst });
      return g1(P1c.fromAffine(h.toAffine()));
    },
    g1ToBytes: (a) => p1(a).toRawBytes(true),
    g1FromBytes: (bytes) => decode('G1', ENCODED_LENGTH.g1, bytes, () => g1(P1c.fromHex(bytes))),
    g2ToBytes: (a) => p2(a).toRawBytes(true),
    g2FromBytes: (bytes) => decode('G2', ENCODED_LENGTH.g2, bytes, () => g2(P2c.fromHex(bytes))),
    gtToBytes: (a) => Fp12.toBytes(ft(a)),
    gtFromBytes: (bytes) => decode('GT', ENCODED_LENGTH.gt, bytes, () => gt(Fp12.fromBytes(bytes))),
  };
}
