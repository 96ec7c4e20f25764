import { beforeAll, describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381';
import { InputError } from '@waggle/errors';
import type { PairingBackend } from './backend.js';
import { createMclBackend } from './mcl-backend.js';
import { createNobleBackend } from './noble-backend.js';
import { createBackend } from './create-backend.js';
import { seededRandom } from '../random/random.js';
import { Fr } from '../policy/field.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const scalars = (seed: string, n: number): bigint[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Fr.create(BigInt(`0x${hex(random(48))}`)));
};

describe('pairing back-ends', () => {
  let fast: PairingBackend;
  const ref = createNobleBackend();
  beforeAll(async () => {
    fast = await createMclBackend();
  });

  it('hash to G1 follows RFC 9380 (suite BLS12381G1_XMD:SHA-256_SSWU_RO_, appendix J.9.1 vector)', () => {
    const dst = 'QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_';
    for (const b of [fast, ref]) {
      const p = bls12_381.G1.ProjectivePoint.fromHex(b.g1ToBytes(b.hashToG1(new Uint8Array(0), dst))).toAffine();
      expect(p.x.toString(16)).toBe('52926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1');
      expect(p.y.toString(16)).toBe('8ba738453bfed09cb546dbb0783dbb3a5f1f566ed67bb6be0e8c67e2e81a4cc68ee29813bb7994998f3eae0c9c6a265');
    }
    const msg = new TextEncoder().encode('sector:energy');
    expect(hex(fast.g1ToBytes(fast.hashToG1(msg, 'A')))).toBe(hex(ref.g1ToBytes(ref.hashToG1(msg, 'A'))));
    expect(hex(fast.g1ToBytes(fast.hashToG1(msg, 'A')))).not.toBe(hex(fast.g1ToBytes(fast.hashToG1(msg, 'B'))));
  });

  it('agree byte for byte on group operations, pairings and serialisation', () => {
    const [a = 0n, b = 0n, c = 0n, d = 0n] = scalars('backend-agree', 4);
    const run = (x: PairingBackend): string[] => {
      const p = x.g1Mul(x.g1Generator(), a);
      const q = x.g2Mul(x.g2Generator(), b);
      const h = x.hashToG1(new Uint8Array([1, 2, 3]), 'WAGGLE-TEST');
      const e = x.pairing(p, q);
      const prod = x.pairingProduct([[p, q], [h, x.g2Generator()]]);
      const vec = x.g1MulVec([p, h], [c, d]);
      return [
        hex(x.g1ToBytes(p)), hex(x.g2ToBytes(q)), hex(x.gtToBytes(e)), hex(x.gtToBytes(prod)),
        hex(x.g1ToBytes(vec)), hex(x.g1ToBytes(x.g1Neg(x.g1Add(p, h)))), hex(x.gtToBytes(x.gtPow(e, c))),
        hex(x.gtToBytes(x.gtDiv(prod, e))), hex(x.g1ToBytes(x.g1Mul(p, 0n))),
      ];
    };
    const fromFast = run(fast);
    expect(fromFast).toEqual(run(ref));
    expect(fromFast[0]).toHaveLength(96);
    expect(fromFast[1]).toHaveLength(192);
    expect(fromFast[2]).toHaveLength(1152);
  });

  it('is bilinear and round-trips its encodings', () => {
    const [a = 0n, b = 0n] = scalars('bilinear', 2);
    for (const x of [fast, ref]) {
      const lhs = x.pairing(x.g1Mul(x.g1Generator(), a), x.g2Mul(x.g2Generator(), b));
      const rhs = x.gtPow(x.pairing(x.g1Generator(), x.g2Generator()), Fr.mul(a, b));
      expect(x.gtEqual(lhs, rhs)).toBe(true);
      expect(x.gtEqual(x.gtFromBytes(x.gtToBytes(lhs)), lhs)).toBe(true);
      const p = x.hashToG1(new Uint8Array([9]), 'T');
      expect(x.g1Equal(x.g1FromBytes(x.g1ToBytes(p)), p)).toBe(true);
      const q = x.g2Mul(x.g2Generator(), a);
      expect(x.g2Equal(x.g2FromBytes(x.g2ToBytes(q)), q)).toBe(true);
      // Bytes from one back-end load in the other.
      const other = x === fast ? ref : fast;
      expect(hex(other.gtToBytes(other.gtFromBytes(x.gtToBytes(lhs))))).toBe(hex(x.gtToBytes(lhs)));
    }
  });

  it('rejects malformed and off-curve encodings', () => {
    for (const x of [fast, ref]) {
      expect(() => x.g1FromBytes(new Uint8Array(47))).toThrow(InputError);
      expect(() => x.g2FromBytes(new Uint8Array(95))).toThrow('G2: expected 96 bytes, got 95');
      expect(() => x.gtFromBytes(new Uint8Array(10))).toThrow(InputError);
      const bad = x.g1ToBytes(x.g1Generator());
      bad[47] = (bad[47] ?? 0) ^ 1; // x no longer on the curve (or not in G1)
      expect(() => x.g1FromBytes(bad)).toThrow(InputError);
    }
  });

  it('creates back-ends by name', async () => {
    expect((await createBackend('noble')).name).toBe('noble');
    expect((await createBackend()).name).toBe('mcl');
    await expect(createBackend('openssl')).rejects.toThrow('unknown pairing back-end "openssl"');
  });
});
