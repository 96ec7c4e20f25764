import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { compareTaxiiTimestamps, formatTaxiiTimestamp, parseTaxiiTimestamp } from './index.js';

describe('TAXII timestamps', () => {
  it('normalises RFC 3339 to UTC with Z and keeps the precision', () => {
    expect(parseTaxiiTimestamp('2024-01-31T12:00:00Z')).toBe('2024-01-31T12:00:00Z');
    expect(parseTaxiiTimestamp('2024-01-31T12:00:00.123456Z')).toBe('2024-01-31T12:00:00.123456Z');
    expect(parseTaxiiTimestamp('2024-01-31t12:00:00z')).toBe('2024-01-31T12:00:00Z');
    expect(parseTaxiiTimestamp('2024-01-31T14:30:00.5+02:30')).toBe('2024-01-31T12:00:00.5Z');
    expect(parseTaxiiTimestamp('2024-01-01T00:30:00-01:00')).toBe('2024-01-01T01:30:00Z');
    expect(parseTaxiiTimestamp('2024-01-01T00:30:00+01:00')).toBe('2023-12-31T23:30:00Z');
    expect(parseTaxiiTimestamp('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
  });

  it.each(['', '2024-01-31', '2024-01-31 12:00:00Z', '2024-01-31T12:00:00', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-31T24:00:00Z', '2024-01-31T12:60:00Z', '2024-01-31T12:00:00+25:00', '2024-01-31T12:00:00.Z', '2024-01-31T12:00:00.1234567890Z', 'yesterday'])(
    'refuses %j with an InputError naming the field',
    (bad) => {
      expect(() => parseTaxiiTimestamp(bad, 'added_after')).toThrow(InputError);
      try {
        parseTaxiiTimestamp(bad, 'added_after');
      } catch (e) {
        expect((e as InputError).details.field).toBe('added_after');
      }
    },
  );

  it('orders timestamps beyond millisecond precision; trailing zeros do not matter', () => {
    expect(compareTaxiiTimestamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z')).toBe(0);
    expect(compareTaxiiTimestamps('2024-01-01T00:00:00.000001Z', '2024-01-01T00:00:00Z')).toBe(1);
    expect(compareTaxiiTimestamps('2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.09Z')).toBe(1);
    expect(compareTaxiiTimestamps('2023-12-31T23:59:59.999Z', '2024-01-01T00:00:00Z')).toBe(-1);
    expect(formatTaxiiTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02T03:04:05.006Z');
  });
});
