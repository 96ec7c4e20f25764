import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { offsetFromKey, shiftTimestamp } from './shift.js';

describe('shiftTimestamp', () => {
  it('keeps epoch seconds as epoch seconds', () => {
    expect(shiftTimestamp('1715176041', 3600)).toBe('1715179641');
    expect(shiftTimestamp(1715176041, -41)).toBe('1715176000');
  });

  it('keeps ISO as ISO (UTC), with milliseconds only when the input had a fraction', () => {
    expect(shiftTimestamp('2024-05-08T13:47:21Z', 86_400)).toBe('2024-05-09T13:47:21Z');
    expect(shiftTimestamp('2024-05-08T13:47:21.5Z', 1)).toBe('2024-05-08T13:47:22.500Z');
    expect(shiftTimestamp('2024-05-08T15:47:21+02:00', 0)).toBe('2024-05-08T13:47:21Z');
    expect(shiftTimestamp(new Date('2024-05-08T13:47:21Z'), -60)).toBe('2024-05-08T13:46:21.000Z');
  });

  it('keeps intervals', () => {
    const a = Number(shiftTimestamp('1000000', 12_345));
    const b = Number(shiftTimestamp('1000600', 12_345));
    expect(b - a).toBe(600);
  });

  it('refuses bad offsets and timestamps', () => {
    expect(() => shiftTimestamp('1715176041', 1.5)).toThrow('whole number');
    expect(() => shiftTimestamp('soon', 1)).toThrow(InputError);
    expect(() => shiftTimestamp('1715176041', 9e15)).toThrow(InputError);
  });
});

describe('offsetFromKey', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('is stable per key, within ±max, and differs between keys', () => {
    const o = offsetFromKey(key, 86_400);
    expect(offsetFromKey(key, 86_400)).toBe(o);
    expect(Math.abs(o)).toBeLessThanOrEqual(86_400);
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => offsetFromKey(Uint8Array.of(i, 1, 2), 86_400)));
    expect(offsets.size).toBeGreaterThan(45);
    expect(offsetFromKey(key, 0)).toBe(0);
  });

  it('spreads over the whole range (both signs, both halves)', () => {
    const values = Array.from({ length: 400 }, (_, i) => offsetFromKey(Uint8Array.of(i >> 8, i & 0xff), 10));
    for (let v = -10; v <= 10; v++) expect(values).toContain(v);
  });

  it('refuses empty keys and bad ranges', () => {
    expect(() => offsetFromKey(new Uint8Array(0), 10)).toThrow('key');
    expect(() => offsetFromKey(key, -1)).toThrow('maxSeconds');
    expect(() => offsetFromKey(key, 2 ** 31)).toThrow(InputError);
  });
});
