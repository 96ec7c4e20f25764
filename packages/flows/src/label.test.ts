import { InputError } from '@waggle/errors';
import { describe, expect, it } from 'vitest';
import { attackTypeOf, labelOf } from './label.js';
import { parseTimestamp, RowError } from './load/values.js';

describe('labels', () => {
  it('treats benign, normal and 0 as benign in any case, everything else as attack', () => {
    for (const benign of ['BENIGN', 'benign', ' Benign ', 'normal', 'Normal', 'normal.', '0', '0.0']) expect(labelOf(benign)).toBe(0);
    for (const attack of ['1', 'PortScan', 'DoS Hulk', 'neptune', 'Web Attack \uFFFD XSS', 'attack']) expect(labelOf(attack)).toBe(1);
    expect(() => labelOf('  ')).toThrow(InputError);
  });

  it('normalises attack names', () => {
    expect(attackTypeOf('Web Attack \uFFFD Brute Force')).toBe('Web Attack - Brute Force');
    expect(attackTypeOf('Web Attack \u2013 Sql Injection')).toBe('Web Attack - Sql Injection');
    expect(attackTypeOf(' Fuzzers ')).toBe('Fuzzers');
    expect(attackTypeOf('smurf.')).toBe('smurf');
    expect(attackTypeOf('BENIGN')).toBe('benign');
  });
});

describe('timestamps', () => {
  it('reads day-first CICFlowMeter times, ISO times and epoch numbers as UTC', () => {
    expect(parseTimestamp('3/7/2017 8:55', 't')).toBe(Date.UTC(2017, 6, 3, 8, 55));
    expect(parseTimestamp('14/02/2018 08:31:01', 't')).toBe(Date.UTC(2018, 1, 14, 8, 31, 1));
    expect(parseTimestamp('14/02/2018 12:05:00 AM', 't')).toBe(Date.UTC(2018, 1, 14, 0, 5));
    expect(parseTimestamp('2026-12-02 10:00:00.250', 't')).toBe(Date.UTC(2026, 11, 2, 10, 0, 0, 250));
    expect(parseTimestamp('1421927414', 't')).toBe(1421927414000);
    expect(parseTimestamp('1421927414123', 't')).toBe(1421927414123);
    expect(parseTimestamp('1421927414123456', 't')).toBe(1421927414123);
    expect(() => parseTimestamp('31/13/2017 8:00', 't')).toThrow(RowError);
    expect(() => parseTimestamp('soon', 't')).toThrow(/not a timestamp/);
  });
});
