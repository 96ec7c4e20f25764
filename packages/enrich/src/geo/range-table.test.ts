import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parseIp } from '../values/ip-address.js';
import { buildRangeTable } from './range-table.js';

const payload = (rest: string): readonly [number, number] => [Number(rest), 0];
const ip = (t: string) => parseIp(t) ?? (() => { throw new Error(t); })();

describe('buildRangeTable', () => {
  it('finds the range holding an IPv4 address, bounds included, and nothing in gaps', () => {
    const t = buildRangeTable('16777216,16777471,1\n16777728,16778239,2\r\n', 4, 'x.csv', payload);
    expect(t.size).toBe(2);
    expect(t.a[t.find(ip('1.0.0.0'))]).toBe(1);
    expect(t.a[t.find(ip('1.0.0.255'))]).toBe(1);
    expect(t.find(ip('1.0.1.0'))).toBe(-1);
    expect(t.a[t.find(ip('1.0.3.255'))]).toBe(2);
    expect(t.find(ip('1.0.4.0'))).toBe(-1);
    expect(t.find(ip('0.255.255.255'))).toBe(-1);
    expect(t.find(ip('::1'))).toBe(-1);
  });
  it('compares IPv6 bounds across the 64-bit halves', () => {
    const lo = (1n << 64n) - 1n;
    const text = `${String(lo - 5n)},${String(lo + 5n)},7\n${String(3n << 120n)},${String((3n << 120n) + 10n)},8\n`;
    const t = buildRangeTable(text, 6, 'v6.csv', payload);
    expect(t.a[t.find(ip('::ffff:ffff:ffff:fffb'))]).toBe(7);
    expect(t.a[t.find(ip('0:0:0:1::4'))]).toBe(7);
    expect(t.find(ip('0:0:0:1::6'))).toBe(-1);
    expect(t.a[t.find(ip('300::a'))]).toBe(8);
    expect(t.start(0)).toBe(lo - 5n);
    expect(t.end(1)).toBe((3n << 120n) + 10n);
  });
  it('rejects unsorted, overlapping, reversed, non-numeric and out-of-family rows with the line', () => {
    const cases: [string, RegExp][] = [
      ['10,20,1\n5,8,1\n', /line 2: ranges must be sorted/],
      ['20,10,1\n', /line 1: range 20-10 is empty/],
      ['1.0.0.0,1.0.0.255,1\n', /line 1: range bounds must be decimal/],
      ['10\n', /line 1: expected "start,end/],
      ['0,4294967296,1\n', /outside IPv4/],
    ];
    for (const [text, message] of cases) {
      expect(() => buildRangeTable(text, 4, 'bad.csv', payload)).toThrow(InputError);
      expect(() => buildRangeTable(text, 4, 'bad.csv', payload)).toThrow(message);
    }
  });
  it('flattens nested and overlapping rows, the later (more specific) row winning', () => {
    // P 0-100 holds C 10-20 which holds D 15-18; E 90-120 overlaps the end of P; F starts where E starts.
    const t = buildRangeTable('0,100,1\n10,20,2\n15,18,3\n90,120,4\n90,95,5\n', 4, 'nested.csv', payload);
    const at = (n: number): number | undefined => t.a[t.find(ip(`0.0.0.${String(n)}`))];
    expect([0, 9, 10, 14, 15, 18, 19, 20, 21, 89, 90, 95, 96, 100, 120].map(at)).toEqual([1, 1, 2, 2, 3, 3, 2, 2, 1, 1, 5, 5, 4, 4, 4]);
    expect(t.find(ip('0.0.0.121'))).toBe(-1);
    const bounds = Array.from({ length: t.size }, (_, i) => [t.start(i), t.end(i)]);
    for (let i = 1; i < bounds.length; i++) expect((bounds[i] as bigint[])[0]).toBeGreaterThan((bounds[i - 1] as bigint[])[1] as bigint);
  });

  it('accepts an empty file', () => {
    expect(buildRangeTable('', 4, 'empty.csv', payload).find(ip('1.2.3.4'))).toBe(-1);
  });
});
