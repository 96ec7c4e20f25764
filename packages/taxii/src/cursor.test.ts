import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { decodeTaxiiCursor, encodeTaxiiCursor } from './index.js';

describe('next cursor', () => {
  it('round-trips a position for the same scope and is URL-safe', () => {
    const token = encodeTaxiiCursor('2024-01-01T00:00:00.000Z|42', 'scope-a');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeTaxiiCursor(token, 'scope-a')).toBe('2024-01-01T00:00:00.000Z|42');
  });

  it('refuses a token replayed against another query', () => {
    const token = encodeTaxiiCursor('7', 'scope-a');
    expect(() => decodeTaxiiCursor(token, 'scope-b')).toThrow(/different query/);
  });

  it('refuses garbage and altered tokens with an InputError on field next', () => {
    const token = encodeTaxiiCursor('7', 's');
    const [body, sum] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ v: 1, p: '99999', s: 'x' })).toString('base64url');
    const flipped = body.slice(0, -1) + (body.endsWith('A') ? 'B' : 'A');
    for (const bad of ['', 'abc', '.', `${body}.`, `.${sum}`, `${flipped}.${sum}`, `${forgedBody}.${sum}`, `${body}.${sum}x`, `${body}!.${sum}`, 'eyJ2IjoxfQ.xxxxxxxxxxxxxxxx']) {
      let caught: unknown;
      try {
        decodeTaxiiCursor(bad, 's');
      } catch (e) {
        caught = e;
      }
      expect(caught, bad).toBeInstanceOf(InputError);
      expect((caught as InputError).details.field).toBe('next');
    }
  });
});
