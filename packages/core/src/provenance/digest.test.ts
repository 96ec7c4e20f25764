import { describe, expect, it } from 'vitest';
import { canonicalJson, contentDigest } from './digest.js';

describe('content digest of a shared event', () => {
  it('does not depend on key order, whitespace or the Event wrapper', () => {
    const a = { uuid: 'u', info: 'x', Attribute: [{ value: '1.2.3.4', type: 'ip-dst' }] };
    const b = JSON.parse('{ "Attribute": [ { "type": "ip-dst", "value": "1.2.3.4" } ], "info": "x", "uuid": "u" }') as unknown;
    expect(contentDigest(a)).toBe(contentDigest(b));
    expect(contentDigest({ Event: a })).toBe(contentDigest(a));
    expect(contentDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes with any value, and with the order of list items', () => {
    const a = { info: 'x', Tag: [{ name: 'a' }, { name: 'b' }] };
    expect(contentDigest(a)).not.toBe(contentDigest({ ...a, info: 'y' }));
    expect(contentDigest(a)).not.toBe(contentDigest({ info: 'x', Tag: [{ name: 'b' }, { name: 'a' }] }));
  });

  it('drops what JSON cannot carry, as the wire does', () => {
    expect(canonicalJson({ b: undefined, a: 1, c: [undefined] })).toBe('{"a":1,"c":[null]}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
