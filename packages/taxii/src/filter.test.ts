import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parseTaxiiFilter, taxiiFilterQuery } from './index.js';

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const ID2 = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b';

function fails(query: Record<string, unknown>, field: string, endpoint: Parameters<typeof parseTaxiiFilter>[1] = 'objects'): void {
  let caught: unknown;
  try {
    parseTaxiiFilter(query, endpoint);
  } catch (e) {
    caught = e;
  }
  expect(caught, JSON.stringify(query)).toBeInstanceOf(InputError);
  expect((caught as InputError).details.field).toBe(field);
}

describe('parseTaxiiFilter', () => {
  it('defaults: latest version, no other restriction', () => {
    expect(parseTaxiiFilter({}, 'objects')).toEqual({ match: { id: [], type: [], version: [{ kind: 'last' }], specVersion: [] } });
    expect(parseTaxiiFilter({}, 'versions').match.version).toEqual([{ kind: 'all' }]);
  });

  it('parses every parameter, comma lists and repeated parameters', () => {
    const f = parseTaxiiFilter(
      {
        added_after: '2024-01-01T01:00:00+01:00',
        limit: '50',
        next: 'tok',
        'match[id]': `${ID},${ID2}`,
        'match[type]': ['indicator', 'malware,indicator'],
        'match[version]': 'first,last,2024-01-01T00:00:00.123Z',
        'match[spec_version]': '2.1',
        unrelated: 'ignored',
      },
      'objects',
    );
    expect(f).toEqual({
      addedAfter: '2024-01-01T00:00:00Z',
      limit: 50,
      next: 'tok',
      match: { id: [ID, ID2], type: ['indicator', 'malware'], version: [{ kind: 'first' }, { kind: 'last' }, { kind: 'at', timestamp: '2024-01-01T00:00:00.123Z' }], specVersion: ['2.1'] },
    });
  });

  it('refuses bad values, naming the parameter', () => {
    fails({ added_after: 'yesterday' }, 'added_after');
    fails({ added_after: ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'] }, 'added_after');
    fails({ limit: '0' }, 'limit');
    fails({ limit: '-1' }, 'limit');
    fails({ limit: '1.5' }, 'limit');
    fails({ limit: 'ten' }, 'limit');
    fails({ limit: '9999999999' }, 'limit');
    fails({ next: '' }, 'next');
    fails({ 'match[id]': 'not-an-id' }, 'match[id]');
    fails({ 'match[id]': `${ID},` }, 'match[id]');
    fails({ 'match[type]': 'Indicator' }, 'match[type]');
    fails({ 'match[type]': 'x' }, 'match[type]');
    fails({ 'match[version]': 'newest' }, 'match[version]');
    fails({ 'match[spec_version]': 'two' }, 'match[spec_version]');
    fails({ 'match[colour]': 'red' }, 'match[colour]');
    fails({ 'match[type]': 42 }, 'match[type]');
  });

  it('refuses match fields an endpoint does not support (section 5)', () => {
    fails({ 'match[type]': 'indicator' }, 'match[type]', 'object');
    fails({ 'match[id]': ID }, 'match[id]', 'object');
    fails({ 'match[version]': 'last' }, 'match[version]', 'versions');
    expect(parseTaxiiFilter({ 'match[version]': 'all', 'match[spec_version]': '2.1' }, 'object').match.version).toEqual([{ kind: 'all' }]);
    expect(parseTaxiiFilter({ 'match[spec_version]': '2.0' }, 'versions').match.specVersion).toEqual(['2.0']);
  });

  it('turns a filter back into query parameters', () => {
    const q = taxiiFilterQuery({ addedAfter: '2024-01-01T00:00:00Z', limit: 10, match: { type: ['indicator', 'malware'], version: [{ kind: 'all' }] } });
    expect(q.toString()).toBe('added_after=2024-01-01T00%3A00%3A00Z&limit=10&match%5Btype%5D=indicator%2Cmalware&match%5Bversion%5D=all');
    expect(parseTaxiiFilter(Object.fromEntries(q), 'objects').match.type).toEqual(['indicator', 'malware']);
  });
});
