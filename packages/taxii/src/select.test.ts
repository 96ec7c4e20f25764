import { describe, expect, it } from 'vitest';
import { parseTaxiiFilter, selectTaxiiRecords, type TaxiiRecordMeta } from './index.js';

const A = 'indicator--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'malware--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const rec = (id: string, version: string, dateAdded: string, specVersion = '2.1'): TaxiiRecordMeta => ({ id, type: id.split('--')[0] as string, version, dateAdded, specVersion });

const records = [
  rec(A, '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'),
  rec(B, '2024-01-05T00:00:00Z', '2024-02-02T00:00:00Z'),
  rec(A, '2024-01-03T00:00:00Z', '2024-02-03T00:00:00Z'),
  rec(A, '2024-01-02T00:00:00Z', '2024-02-04T00:00:00Z'),
  rec(B, '2024-01-06T00:00:00Z', '2024-02-05T00:00:00Z', '2.0'),
];
const pick = (q: Record<string, string>, endpoint: 'objects' | 'versions' = 'objects'): string[] => selectTaxiiRecords(records, parseTaxiiFilter(q, endpoint)).map((r) => `${r.id.slice(0, 3)}@${r.version.slice(8, 10)}`);

describe('selectTaxiiRecords', () => {
  it('returns the latest version of each object by default, ordered by date added', () => {
    expect(pick({})).toEqual(['mal@05', 'ind@03']);
  });

  it('selects first, all, specific and combined versions', () => {
    expect(pick({ 'match[version]': 'first' })).toEqual(['ind@01', 'mal@05']);
    expect(pick({ 'match[version]': 'all' })).toEqual(['ind@01', 'mal@05', 'ind@03', 'ind@02']);
    expect(pick({ 'match[version]': '2024-01-02T00:00:00.000Z' })).toEqual(['ind@02']);
    expect(pick({ 'match[version]': 'first,last' })).toEqual(['ind@01', 'mal@05', 'ind@03']);
  });

  it('keeps only the latest spec version unless match[spec_version] says otherwise', () => {
    expect(pick({ 'match[type]': 'malware', 'match[version]': 'all' })).toEqual(['mal@05']);
    expect(pick({ 'match[type]': 'malware', 'match[spec_version]': '2.0' })).toEqual(['mal@06']);
    expect(pick({ 'match[type]': 'malware', 'match[spec_version]': '2.0,2.1', 'match[version]': 'all' })).toEqual(['mal@05', 'mal@06']);
  });

  it('filters by id, type and added_after (exclusive)', () => {
    expect(pick({ 'match[id]': A, 'match[version]': 'all' })).toEqual(['ind@01', 'ind@03', 'ind@02']);
    expect(pick({ 'match[type]': 'malware,indicator' })).toEqual(['mal@05', 'ind@03']);
    expect(pick({ added_after: '2024-02-03T00:00:00Z', 'match[version]': 'all' })).toEqual(['ind@02']);
    // The latest version of A (03) was added on 02-03, not after: an older version added later is not "new".
    expect(pick({ added_after: '2024-02-03T00:00:00Z' })).toEqual([]);
    expect(pick({ added_after: '2024-02-02T12:00:00Z' })).toEqual(['ind@03']);
    expect(pick({ added_after: '2024-02-01T00:00:00Z' })).toEqual(['mal@05', 'ind@03']);
    expect(pick({ added_after: '2030-01-01T00:00:00Z' })).toEqual([]);
    expect(pick({ 'match[id]': 'campaign--cccccccc-cccc-4ccc-8ccc-cccccccccccc' })).toEqual([]);
  });
});
