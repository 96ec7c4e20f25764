import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { cryptoRandomSource, seededRandomSource } from './random-source.js';

describe('random sources', () => {
  it('the seeded source is deterministic per seed and differs between seeds', () => {
    const draw = (seed: string): bigint[] => {
      const s = seededRandomSource(seed);
      return Array.from({ length: 20 }, () => s.randomInt(1000n));
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('draws uniformly, including bounds that are not powers of two (chi-square, 5 d.f.)', () => {
    const s = seededRandomSource('uniform');
    const n = 60_000;
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < n; i++) counts[Number(s.randomInt(6n))]! += 1;
    const chi = counts.reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi).toBeLessThan(20.5); // 0.999 quantile of chi-square with 5 d.f.
  });

  it('handles bounds beyond 2^64 and the bound 1', () => {
    const s = seededRandomSource('big');
    const max = 2n ** 100n + 3n;
    for (let i = 0; i < 100; i++) {
      const v = s.randomInt(max);
      expect(v >= 0n && v < max).toBe(true);
    }
    expect(s.randomInt(1n)).toBe(0n);
  });

  it('the crypto source stays in range', () => {
    const c = cryptoRandomSource();
    const seen = new Set<bigint>();
    for (let i = 0; i < 500; i++) {
      const v = c.randomInt(3n);
      expect(v >= 0n && v < 3n).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(3);
  });

  it('rejects a bound below 1', () => {
    expect(() => cryptoRandomSource().randomInt(0n)).toThrow(InputError);
    expect(() => seededRandomSource('x').randomInt(-5n)).toThrow(/at least 1/);
  });
});
