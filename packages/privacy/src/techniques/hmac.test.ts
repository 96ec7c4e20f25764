import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { hmacPseudonym, hmacSha256 } from './hmac.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fill = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** RFC 4231 section 4, HMAC-SHA-256 results of test cases 1–7 (case 5 is truncated to 128 bits there). */
const RFC4231 = [
  { tc: 1, key: fill(0x0b, 20), data: ascii('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { tc: 2, key: ascii('Jefe'), data: ascii('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { tc: 3, key: fill(0xaa, 20), data: fill(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { tc: 4, key: Uint8Array.from({ length: 25 }, (_, i) => i + 1), data: fill(0xcd, 50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { tc: 5, key: fill(0x0c, 20), data: ascii('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  { tc: 6, key: fill(0xaa, 131), data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  {
    tc: 7,
    key: fill(0xaa, 131),
    data: ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('hmacSha256', () => {
  it.each(RFC4231)('RFC 4231 test case $tc', ({ key, data, mac }) => {
    expect(hex(hmacSha256(key, data)).slice(0, mac.length)).toBe(mac);
  });

  it('reads strings as UTF-8', () => {
    expect(hex(hmacSha256(ascii('Jefe'), 'what do ya want for nothing?'))).toBe(RFC4231[1]?.mac);
    expect(hmacSha256(ascii('k'), 'é')).toEqual(hmacSha256(ascii('k'), Uint8Array.from([0xc3, 0xa9])));
  });

  it('refuses an empty key', () => {
    expect(() => hmacSha256(new Uint8Array(0), 'x')).toThrow(InputError);
  });
});

describe('hmacPseudonym', () => {
  const key = fill(0x0b, 20);

  it('is the lower-case hex MAC, truncated and prefixed on request', () => {
    expect(hmacPseudonym(key, 'Hi There')).toBe(RFC4231[0]?.mac);
    expect(hmacPseudonym(key, 'Hi There', { length: 16 })).toBe('b0344c61d8db3853');
    expect(hmacPseudonym(key, 'Hi There', { length: 20, prefix: 'user-' })).toBe('user-b0344c61d8db38535ca8');
  });

  it('is stable per key and differs between keys and values', () => {
    expect(hmacPseudonym(key, 'alice@example.org')).toBe(hmacPseudonym(key, 'alice@example.org'));
    expect(hmacPseudonym(key, 'alice@example.org')).not.toBe(hmacPseudonym(fill(0x0c, 20), 'alice@example.org'));
    expect(hmacPseudonym(key, 'alice@example.org')).not.toBe(hmacPseudonym(key, 'bob@example.org'));
  });

  it('refuses lengths outside 16..64, empty keys and non-strings', () => {
    expect(() => hmacPseudonym(key, 'x', { length: 15 })).toThrow('16 to 64');
    expect(() => hmacPseudonym(key, 'x', { length: 65 })).toThrow(InputError);
    expect(() => hmacPseudonym(key, 'x', { length: 20.5 })).toThrow(InputError);
    expect(() => hmacPseudonym(new Uint8Array(0), 'x')).toThrow('empty');
    expect(() => hmacPseudonym(key, 42 as unknown as string)).toThrow('string');
  });
});

describe('HMAC-SHA-256 cross-check against node:crypto', () => {
  it('agrees on random keys (short, block-sized, longer than a block) and every message length around the padding edges', async () => {
    const { createHmac } = await import('node:crypto');
    let seed = 12345;
    const byte = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (const keyLength of [1, 20, 32, 63, 64, 65, 131, 200]) {
      const key = Uint8Array.from({ length: keyLength }, byte);
      for (let n = 0; n < 260; n++) {
        const data = Uint8Array.from({ length: n }, byte);
        expect(hex(hmacSha256(key, data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }
      const long = Uint8Array.from({ length: 5000 }, byte);
      expect(hex(hmacSha256(key, long))).toBe(createHmac('sha256', key).update(long).digest('hex'));
      const text = `ünïcødé ✓ ${'x'.repeat(keyLength)} 🐝`;
      expect(hmacPseudonym(key, text)).toBe(createHmac('sha256', key).update(text, 'utf8').digest('hex'));
    }
    // A value longer than the reused scratch buffer.
    const big = 'é'.repeat(3000);
    expect(hmacPseudonym(Uint8Array.of(1), big)).toBe(createHmac('sha256', Uint8Array.of(1)).update(big, 'utf8').digest('hex'));
  });
});
