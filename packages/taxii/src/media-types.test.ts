import { describe, expect, it } from 'vitest';
import { acceptsTaxii, isTaxiiContentType, parseMediaType, sameMediaType, stixMediaTypeFor, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './index.js';

describe('media types', () => {
  it('has the TAXII and STIX 2.1 media types', () => {
    expect(TAXII_MEDIA_TYPE).toBe('application/taxii+json;version=2.1');
    expect(STIX_MEDIA_TYPE).toBe('application/stix+json;version=2.1');
    expect(stixMediaTypeFor(undefined)).toBe(STIX_MEDIA_TYPE);
    expect(stixMediaTypeFor('2.0')).toBe('application/stix+json;version=2.0');
  });

  it('parses media types with parameters, quotes and spaces', () => {
    expect(parseMediaType('Application/TAXII+json; Version="2.1"')).toEqual({ type: 'application', subtype: 'taxii+json', params: { version: '2.1' } });
    expect(parseMediaType('nonsense')).toBeUndefined();
    expect(parseMediaType('a/b/c')).toBeUndefined();
    expect(parseMediaType('application/json; version')).toBeUndefined();
    expect(sameMediaType('application/taxii+json; version=2.1', TAXII_MEDIA_TYPE)).toBe(true);
    expect(sameMediaType('application/taxii+json', TAXII_MEDIA_TYPE)).toBe(false);
  });

  it.each([
    [undefined, true],
    ['', true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json; version="2.1"', true],
    ['*/*', true],
    ['application/*', true],
    ['text/html, */*;q=0.1', true],
    ['application/json', false],
    ['application/taxii+json;version=2.0', false],
    ['application/stix+json;version=2.1', false],
    ['application/taxii+json;q=0, */*', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['*/*;q=0', false],
    ['*/*;q=banana', false],
    ['garbage', false],
  ])('Accept %j → %s', (header, ok) => {
    expect(acceptsTaxii(header)).toBe(ok);
  });

  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json; version=2.1; charset=utf-8', true],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    [undefined, false],
  ])('Content-Type %j → %s', (header, ok) => {
    expect(isTaxiiContentType(header)).toBe(ok);
  });
});
