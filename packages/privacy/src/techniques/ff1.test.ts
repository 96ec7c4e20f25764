import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { createFf1 } from './ff1.js';

/**
 * NIST's FF1 sample vectors, Samples 1–9 of "FF1samples.pdf" published with
 * SP 800-38G (Cryptographic Standards and Guidelines, examples:
 * https://csrc.nist.gov/CSRC/media/Projects/Cryptographic-Standards-and-Guidelines/documents/examples/FF1samples.pdf).
 */
const K128 = '2B7E151628AED2A6ABF7158809CF4F3C';
const K192 = '2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F';
const K256 = '2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94';
const T1 = '39383736353433323130';
const T2 = '3737373770717273373737';
const NIST_SAMPLES = [
  { sample: 1, key: K128, tweak: '', radix: 10, pt: '0123456789', ct: '2433477484' },
  { sample: 2, key: K128, tweak: T1, radix: 10, pt: '0123456789', ct: '6124200773' },
  { sample: 3, key: K128, tweak: T2, radix: 36, pt: '0123456789abcdefghi', ct: 'a9tv40mll9kdu509eum' },
  { sample: 4, key: K192, tweak: '', radix: 10, pt: '0123456789', ct: '2830668132' },
  { sample: 5, key: K192, tweak: T1, radix: 10, pt: '0123456789', ct: '2496655549' },
  { sample: 6, key: K192, tweak: T2, radix: 36, pt: '0123456789abcdefghi', ct: 'xbj3kv35jrawxv32ysr' },
  { sample: 7, key: K256, tweak: '', radix: 10, pt: '0123456789', ct: '6657667009' },
  { sample: 8, key: K256, tweak: T1, radix: 10, pt: '0123456789', ct: '1001623463' },
  { sample: 9, key: K256, tweak: T2, radix: 36, pt: '0123456789abcdefghi', ct: 'xs8a0azh2avyalyzuwd' },
];
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

describe('FF1: NIST SP 800-38G samples', () => {
  it.each(NIST_SAMPLES)('Sample $sample (radix $radix)', ({ key, tweak, radix, pt, ct }) => {
    const perCall = createFf1(bytes(key), radix);
    expect(perCall.radix).toBe(radix);
    expect(perCall.encrypt(pt, bytes(tweak))).toBe(ct);
    expect(perCall.decrypt(ct, bytes(tweak))).toBe(pt);
    const fixed = createFf1(bytes(key), radix, { tweak: bytes(tweak) });
    expect(fixed.encrypt(pt)).toBe(ct);
    expect(fixed.decrypt(ct)).toBe(pt);
  });

  it('reads radix-36 input case-insensitively and writes lower case', () => {
    const f = createFf1(bytes(K128), 36);
    expect(f.encrypt('0123456789ABCDEFGHI', bytes(T2))).toBe('a9tv40mll9kdu509eum');
    expect(f.decrypt('A9TV40MLL9KDU509EUM', bytes(T2))).toBe('0123456789abcdefghi');
  });
});

describe('FF1: properties', () => {
  const key = bytes(K128);

  it('round-trips lengths that need more than one PRF block and odd splits', () => {
    const f = createFf1(key, 10);
    for (const n of [6, 7, 11, 26, 27, 33, 64, 101, 300]) {
      const pt = Array.from({ length: n }, (_, i) => String((i * 7 + 3) % 10)).join('');
      const ct = f.encrypt(pt, bytes('aabbcc'));
      expect(ct).toMatch(new RegExp(`^[0-9]{${n}}$`));
      expect(ct).not.toBe(pt);
      expect(f.decrypt(ct, bytes('aabbcc'))).toBe(pt);
    }
  });

  it('is injective and invertible on 2,000 values of the 20-bit binary domain', () => {
    const f = createFf1(key, 2);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const pt = i.toString(2).padStart(20, '0');
      const ct = f.encrypt(pt);
      expect(ct).toHaveLength(20);
      expect(f.decrypt(ct)).toBe(pt);
      seen.add(ct);
    }
    expect(seen.size).toBe(2000);
  });

  it('uses a long tweak (more than one block of Q) and tells tweaks apart', () => {
    const f = createFf1(key, 10);
    const long = Uint8Array.from({ length: 40 }, (_, i) => i);
    const ct = f.encrypt('4111111111111111', long);
    expect(f.decrypt(ct, long)).toBe('4111111111111111');
    expect(f.encrypt('4111111111111111', new Uint8Array(0))).not.toBe(ct);
  });

  it('works with a custom alphabet whose size is the radix', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const f = createFf1(key, 62, { alphabet });
    const ct = f.encrypt('HelloWorld42');
    expect(ct).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(f.decrypt(ct)).toBe('HelloWorld42');
    expect(() => f.encrypt('hello-world')).toThrow('"-" is not a numeral');
  });
});

describe('FF1: bad input', () => {
  const key = bytes(K128);

  it('refuses bad keys', () => {
    expect(() => createFf1(new Uint8Array(15), 10)).toThrow('16, 24 or 32 bytes');
    expect(() => createFf1(new Uint8Array(64), 10)).toThrow(InputError);
  });

  it('refuses bad radixes and alphabets', () => {
    expect(() => createFf1(key, 1)).toThrow('radix');
    expect(() => createFf1(key, 37)).toThrow('2 to 36');
    expect(() => createFf1(key, 10.5)).toThrow(InputError);
    expect(() => createFf1(key, 3, { alphabet: 'ab' })).toThrow('exactly 3 characters');
    expect(() => createFf1(key, 3, { alphabet: 'aab' })).toThrow('repeats "a"');
    expect(() => createFf1(key, 10, { maxLength: 5 })).toThrow('shortest length');
  });

  it('enforces radix^minlen ≥ 1,000,000 and maxlen', () => {
    const decimal = createFf1(key, 10, { maxLength: 20 });
    expect(() => decimal.encrypt('12345')).toThrow('6 to 20 numerals');
    expect(decimal.encrypt('123456')).toHaveLength(6);
    expect(() => decimal.encrypt('1'.repeat(21))).toThrow(InputError);
    const binary = createFf1(key, 2);
    expect(() => binary.encrypt('1'.repeat(19))).toThrow('20 to'); // 2^20 ≥ 10^6 > 2^19
    const hex = createFf1(key, 16);
    expect(() => hex.encrypt('abcd')).toThrow('5 to'); // 16^5 ≥ 10^6 > 16^4
  });

  it('refuses numerals outside the alphabet and bad tweaks', () => {
    const f = createFf1(key, 10);
    expect(() => f.encrypt('12345a')).toThrow('"a" is not a numeral of the radix-10 alphabet');
    expect(() => f.decrypt('12 3456')).toThrow(InputError);
    expect(() => f.encrypt('123456', 'ab' as unknown as Uint8Array)).toThrow('tweak');
  });
});
