import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { createCryptoPan } from './crypto-pan.js';
import { formatIp, parseIp } from './ip.js';

/**
 * Published known-answer vectors (test-support/crypto-pan-vectors.json):
 * - the reference implementation's sample trace (sample_trace_raw.dat →
 *   sample_trace_sanitized.dat, all 70 distinct pairs) with the reference key,
 *   as listed by the Go port github.com/Yawning/cryptopan (cryptopan_test.go);
 * - IPv6 pairs published by the Go port (reference key), libanon (C), Python
 *   yacryptopan, and further IPv4 pairs from the C#, Perl, Ruby, Java, Python and
 *   Julia ports, as collected in github.com/noinkling/node-cryptopan
 *   (src/test/test_data.ts). Each set names its source.
 */
interface VectorSet {
  source: string;
  keyHex: string;
  ipv4: [string, string][];
  ipv6: [string, string][];
}
const VECTORS = JSON.parse(readFileSync(new URL('./test-support/crypto-pan-vectors.json', import.meta.url), 'utf8')) as { sets: VectorSet[] };
const REFERENCE_KEY = Uint8Array.from([21, 34, 23, 141, 51, 164, 207, 128, 19, 10, 91, 22, 73, 144, 125, 16, 216, 152, 143, 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, 132, 34, 2]);

/**
 * An independent, deliberately naive Crypto-PAn over BigInt, straight from the
 * paper: a fresh cipher and one AES call per bit.
 */
function naiveCryptoPan(key: Uint8Array, bits: 32 | 128, addr: bigint): bigint {
  const aes = (block: Buffer): Buffer => {
    const c = createCipheriv('aes-128-ecb', key.subarray(0, 16), null);
    c.setAutoPadding(false);
    return c.update(block);
  };
  const pad = BigInt(`0x${aes(Buffer.from(key.subarray(16, 32))).toString('hex')}`);
  const all = (1n << 128n) - 1n;
  let result = 0n;
  for (let i = 0; i < bits; i++) {
    // The first i bits of the address (aligned to the top of the 128-bit block), then the pad.
    const keepMask = i === 0 ? 0n : (all << BigInt(128 - i)) & all;
    const aligned = addr << BigInt(128 - bits);
    const input = (aligned & keepMask) | (pad & ~keepMask & all);
    const out = aes(Buffer.from(input.toString(16).padStart(32, '0'), 'hex'));
    const bit = BigInt((out[0] as number) >> 7);
    result |= bit << BigInt(bits - 1 - i);
  }
  return addr ^ result;
}

const toBig = (ip: string): bigint => BigInt(`0x${Buffer.from(parseIp(ip).bytes).toString('hex')}`);
const fromBig = (n: bigint, version: 4 | 6): string => formatIp(version, Uint8Array.from(Buffer.from(n.toString(16).padStart(version === 4 ? 8 : 32, '0'), 'hex')));
const commonPrefix = (a: bigint, b: bigint, bits: number): number => {
  const x = a ^ b;
  return x === 0n ? bits : bits - x.toString(2).length;
};

/** A small deterministic generator so the property tests are reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const randomV4 = (r: () => number): string => [0, 0, 0, 0].map(() => Math.floor(r() * 256)).join('.');
const randomV6 = (r: () => number): string => formatIp(6, Uint8Array.from({ length: 16 }, () => Math.floor(r() * 256)));

describe('Crypto-PAn: published vectors', () => {
  it('the vector file holds the 70 sample-trace pairs of the reference implementation', () => {
    const reference = VECTORS.sets[0] as VectorSet;
    expect(reference.keyHex).toBe(Buffer.from(REFERENCE_KEY).toString('hex'));
    expect(reference.ipv4).toHaveLength(70);
    expect(reference.ipv4).toContainEqual(['128.11.68.132', '135.242.180.132']);
  });

  for (const cacheSize of [65_536, 0, 3]) {
    describe(`cacheSize ${cacheSize}`, () => {
      VECTORS.sets.forEach((set) => {
        it(`${set.source.slice(0, 90)}…`, () => {
          const pan = createCryptoPan(Buffer.from(set.keyHex, 'hex'), { cacheSize });
          // Twice, so the second pass runs on warm memos.
          for (let pass = 0; pass < 2; pass++) {
            for (const [raw, anon] of set.ipv4) {
              expect(pan.anonymize(raw)).toBe(anon);
              expect(pan.anonymizeIPv4(raw)).toBe(anon);
            }
            for (const [raw, anon] of set.ipv6) {
              expect(pan.anonymize(raw)).toBe(anon);
              expect(pan.anonymizeIPv6(raw)).toBe(anon);
            }
          }
          // The batch path, on a fresh instance (cold memos) and on the warm one.
          const all = [...set.ipv4, ...set.ipv6];
          for (const p of [createCryptoPan(Buffer.from(set.keyHex, 'hex'), { cacheSize }), pan]) {
            expect(p.anonymizeMany(all.map(([raw]) => raw))).toEqual(all.map(([, anon]) => anon));
          }
        });
      });
    });
  }
});

describe('Crypto-PAn: properties', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

  it('matches an independent bit-by-bit implementation on random IPv4 and IPv6 addresses', () => {
    const pan = createCryptoPan(key, { cacheSize: 8 });
    const r = prng(1);
    for (let i = 0; i < 200; i++) {
      const ip = randomV4(r);
      expect(pan.anonymize(ip)).toBe(fromBig(naiveCryptoPan(key, 32, toBig(ip)), 4));
    }
    for (let i = 0; i < 20; i++) {
      const ip = randomV6(r);
      expect(pan.anonymize(ip)).toBe(fromBig(naiveCryptoPan(key, 128, toBig(ip)), 6));
    }
    expect(fromBig(naiveCryptoPan(REFERENCE_KEY, 32, toBig('128.11.68.132')), 4)).toBe('135.242.180.132');
    expect(fromBig(naiveCryptoPan(REFERENCE_KEY, 128, toBig('2001:db8::1')), 6)).toBe('4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1e');
  });

  it('preserves exactly the shared prefix length (IPv4 and IPv6)', () => {
    const pan = createCryptoPan(key);
    const r = prng(2);
    for (let i = 0; i < 500; i++) {
      const a = randomV4(r);
      // Derive a partner sharing a random-length prefix.
      const keep = Math.floor(r() * 33);
      const flip = keep === 32 ? 0n : 1n << BigInt(31 - keep);
      const b = fromBig((toBig(a) ^ flip) ^ (BigInt(Math.floor(r() * 2 ** 32)) & (flip - 1n > 0n ? flip - 1n : 0n)), 4);
      const before = commonPrefix(toBig(a), toBig(b), 32);
      expect(commonPrefix(toBig(pan.anonymize(a)), toBig(pan.anonymize(b)), 32)).toBe(before);
    }
    for (let i = 0; i < 60; i++) {
      const a = randomV6(r);
      const keep = Math.floor(r() * 129);
      const b = fromBig(keep === 128 ? toBig(a) : toBig(a) ^ (1n << BigInt(127 - keep)), 6);
      expect(commonPrefix(toBig(pan.anonymize(a)), toBig(pan.anonymize(b)), 128)).toBe(commonPrefix(toBig(a), toBig(b), 128));
    }
  });

  it('is a bijection: all 65,536 addresses of a /16 map to 65,536 distinct addresses of one /16', () => {
    const pan = createCryptoPan(key);
    const seen = new Set<string>();
    const nets = new Set<string>();
    for (let i = 0; i < 65_536; i++) {
      const out = pan.anonymize(`198.51.${i >> 8}.${i & 0xff}`);
      seen.add(out);
      nets.add(out.split('.').slice(0, 2).join('.'));
    }
    expect(seen.size).toBe(65_536);
    expect(nets.size).toBe(1);
  });

  it('is a bijection on the low bits of IPv6 too', () => {
    const pan = createCryptoPan(key);
    const seen = new Set<string>();
    for (let i = 0; i < 4096; i++) seen.add(pan.anonymize(`2001:db8::${i.toString(16)}`));
    expect(seen.size).toBe(4096);
  });

  it('depends on the key, and the cache never changes a result', () => {
    const other = Uint8Array.from(key);
    other[31] = (other[31] as number) ^ 1;
    expect(createCryptoPan(key).anonymize('192.0.2.1')).not.toBe(createCryptoPan(other).anonymize('192.0.2.1'));
    const cached = createCryptoPan(key, { cacheSize: 2 });
    const plain = createCryptoPan(key, { cacheSize: 0 });
    const r = prng(3);
    for (let i = 0; i < 300; i++) {
      const ip = i % 5 === 0 ? randomV6(r) : `10.${i % 3}.${Math.floor(r() * 4)}.${Math.floor(r() * 256)}`;
      expect(cached.anonymize(ip)).toBe(plain.anonymize(ip));
    }
  });
});

describe('Crypto-PAn: batches', () => {
  it('gives exactly the one-address results on a clustered mix, whatever the memo size (slot collisions included)', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 91 + 7) & 0xff);
    const r = prng(7);
    // Many addresses in few /16s and /24s, with repeats, across several chunks of 512.
    const ips = Array.from({ length: 3000 }, () => `10.${String(Math.floor(r() * 4))}.${String(Math.floor(r() * 40))}.${String(Math.floor(r() * 256))}`);
    ips.push('2001:db8::1', '192.0.2.1', '192.0.2.1');
    const expected = ips.map((ip) => createCryptoPan(key, { cacheSize: 0 }).anonymize(ip));
    for (const cacheSize of [0, 1, 3, 64, 65_536]) {
      const pan = createCryptoPan(key, { cacheSize });
      expect(pan.anonymizeMany(ips)).toEqual(expected);
      expect(pan.anonymizeMany(ips)).toEqual(expected);
      // Mixing both paths on one instance keeps the memos consistent.
      expect(ips.slice(0, 200).map((ip) => pan.anonymize(ip))).toEqual(expected.slice(0, 200));
    }
    expect(createCryptoPan(key).anonymizeMany([])).toEqual([]);
    expect(() => createCryptoPan(key).anonymizeMany(['192.0.2.1', 'not-an-ip'])).toThrow(/not-an-ip/);
  });
});

describe('Crypto-PAn: bad input', () => {
  it('refuses keys that are not 32 bytes', () => {
    expect(() => createCryptoPan(new Uint8Array(16))).toThrow(InputError);
    expect(() => createCryptoPan(new Uint8Array(33))).toThrow('32 bytes');
    expect(() => createCryptoPan('x'.repeat(32) as unknown as Uint8Array)).toThrow(InputError);
  });

  it('refuses a bad cache size', () => {
    expect(() => createCryptoPan(REFERENCE_KEY, { cacheSize: -1 })).toThrow('cacheSize');
    expect(() => createCryptoPan(REFERENCE_KEY, { cacheSize: 1.5 })).toThrow(InputError);
    expect(() => createCryptoPan(REFERENCE_KEY, { cacheSize: 2 ** 24 + 1 })).toThrow('2^24');
  });

  it('refuses non-addresses and the wrong version', () => {
    const pan = createCryptoPan(REFERENCE_KEY);
    expect(() => pan.anonymize('evil.com')).toThrow(InputError);
    expect(() => pan.anonymize('1.2.3.4/24')).toThrow(InputError);
    expect(() => pan.anonymizeIPv4('2001:db8::1')).toThrow('not an IPv4');
    expect(() => pan.anonymizeIPv6('192.0.2.1')).toThrow('not an IPv6');
  });
});
