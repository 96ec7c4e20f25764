import mcl from 'mcl-wasm';
import { bls12_381 } from '@noble/curves/bls12-381';
import { InputError } from '@waggle/errors';
import { ENCODED_LENGTH, type G1, type G2, type GT, type PairingBackend } from './backend.js';
import { mclHashToG1, mclMillerLoopVec } from './mcl-raw.js';

const m1 = (x: G1): mcl.G1 => x as unknown as mcl.G1;
const m2 = (x: G2): mcl.G2 => x as unknown as mcl.G2;
const mt = (x: GT): mcl.GT => x as unknown as mcl.GT;
const g1 = (x: mcl.G1): G1 => x as unknown as G1;
const g2 = (x: mcl.G2): G2 => x as unknown as G2;
const gt = (x: mcl.GT): GT => x as unknown as GT;

function fr(s: bigint): mcl.Fr {
  const x = new mcl.Fr();
  x.setStr(s.toString(16), 16);
  return x;
}

/**
 * mcl writes each Fp2 coefficient as (c1, c0) in its ETH serialisation, noble and our
 * canonical form as (c0, c1): swap every pair of 48-byte words. The map is an involution.
 */
function swapFp2Words(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 96) {
    out.set(bytes.subarray(i + 48, i + 96), i);
    out.set(bytes.subarray(i, i + 48), i + 48);
  }
  return out;
}

function decode<T extends { deserialize(b: Uint8Array): void }>(kind: string, length: number, bytes: Uint8Array, value: T, check: (v: T) => boolean): T {
  if (bytes.length !== length) throw new InputError(`${kind}: expected ${length} bytes, got ${bytes.length}`, { field: kind });
  try {
    value.deserialize(bytes);
  } catch (cause) {
    throw new InputError(`${kind}: not a valid encoding (${cause instanceof Error ? cause.message : String(cause)})`, { field: kind });
  }
  if (!check(value)) throw new InputError(`${kind}: not a valid encoding (not in the prime-order subgroup)`, { field: kind });
  return value;
}

let initialised: Promise<void> | undefined;

/**
 * The mcl-wasm back-end (fast; the default). Initialises mcl once per process for
 * BLS12-381 with the ETH (ZCash) serialisation, RFC 9380 hashing (IRTF map-to mode)
 * and subgroup checks on deserialisation. These are process-wide settings of mcl;
 * they are the standard ones, so other users of mcl in the process are unaffected
 * unless they rely on mcl's legacy modes.
 */
export async function createMclBackend(): Promise<PairingBackend> {
  initialised ??= mcl.init(mcl.BLS12_381).then(() => {
    mcl.setETHserialization(true);
    mcl.setMapToMode(mcl.IRTF);
    mcl.verifyOrderG1(true);
    mcl.verifyOrderG2(true);
  });
  await initialised;
  const hash = mclHashToG1();
  const millerLoopVec = mclMillerLoopVec();
  const base1 = new mcl.G1();
  base1.deserialize(bls12_381.G1.ProjectivePoint.BASE.toRawBytes(true));
  const base2 = new mcl.G2();
  base2.deserialize(bls12_381.G2.ProjectivePoint.BASE.toRawBytes(true));
  return {
    name: 'mcl',
    g1Generator: () => g1(base1.clone()),
    g2Generator: () => g2(base2.clone()),
    g1Add: (a, b) => g1(mcl.add(m1(a), m1(b))),
    g1Neg: (a) => g1(mcl.neg(m1(a))),
    g1Mul: (a, s) => g1(mcl.mul(m1(a), fr(s))),
    g1MulVec: (points, scalars) => (points.length === 0 ? g1(new mcl.G1()) : g1(mcl.mulVec(points.map(m1), scalars.map(fr)))),
    g1Equal: (a, b) => m1(a).isEqual(m1(b)),
    g2Mul: (a, s) => g2(mcl.mul(m2(a), fr(s))),
    g2Equal: (a, b) => m2(a).isEqual(m2(b)),
    gtMul: (a, b) => gt(mcl.mul(mt(a), mt(b))),
    gtDiv: (a, b) => gt(mcl.div(mt(a), mt(b))),
    gtPow: (a, s) => gt(mcl.pow(mt(a), fr(s))),
    gtEqual: (a, b) => mt(a).isEqual(mt(b)),
    pairing: (a, b) => gt(mcl.pairing(m1(a), m2(b))),
    pairingProduct: (pairs) => {
      if (pairs.length === 0) {
        const one = new mcl.GT();
        one.setInt(1);
        return gt(one);
      }
      return gt(mcl.finalExp(millerLoopVec(pairs.map((p) => m1(p[0])), pairs.map((p) => m2(p[1])))));
    },
    hashToG1: (message, dst) => g1(hash(message, dst)),
    g1ToBytes: (a) => m1(a).serialize(),
    g1FromBytes: (bytes) => g1(decode('G1', ENCODED_LENGTH.g1, bytes, new mcl.G1(), (p) => p.isValidOrder())),
    g2ToBytes: (a) => m2(a).serialize(),
    g2FromBytes: (bytes) => g2(decode('G2', ENCODED_LENGTH.g2, bytes, new mcl.G2(), (p) => p.isValidOrder())),
    gtToBytes: (a) => swapFp2Words(mt(a).serialize()),
    gtFromBytes: (bytes) => gt(decode('GT', ENCODED_LENGTH.gt, bytes.length === ENCODED_LENGTH.gt ? swapFp2Words(bytes) : bytes, new mcl.GT(), () => true)),
  };
}
