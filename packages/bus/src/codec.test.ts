import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { decodePayload, encodePayload, encodePayloadText } from './codec.js';

describe('payload codec', () => {
  it('round-trips JSON values including unicode', () => {
    for (const value of [null, 0, 'ß🐝', [1, { a: ['b'] }], { '键': '值' }]) {
      expect(decodePayload(encodePayload(value))).toEqual(value);
      expect(decodePayload(encodePayloadText(value))).toEqual(value);
    }
  });

  it('stores what JSON makes of dates and dropped fields', () => {
    expect(decodePayload(encodePayload({ at: new Date(0), gone: undefined }))).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it.each([undefined, () => 1, Symbol('s'), 1n])('rejects %s with InputError', (value) => {
    expect(() => encodePayload(value)).toThrow(InputError);
    expect(() => encodePayloadText(value)).toThrow(InputError);
  });

  it('rejects cyclic values with InputError', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => encodePayload(cyclic)).toThrow(InputError);
  });

  it('throws on bytes that are not UTF-8 JSON', () => {
    expect(() => decodePayload(new Uint8Array([0xff, 0xfe]))).toThrow();
    expect(() => decodePayload(new TextEncoder().encode('{nope'))).toThrow();
  });
});
