import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { createEnumerator, keyedPermutation } from './enumerate.js';
import { SUPPRESSED, isSuppressed, suppress } from './suppress.js';

describe('createEnumerator', () => {
  it('labels distinct values in order of first appearance, stably', () => {
    const e = createEnumerator('host');
    expect(e.label('db.corp')).toBe('host-1');
    expect(e.label('web.corp')).toBe('host-2');
    expect(e.label('db.corp')).toBe('host-1');
    expect(e.size).toBe(2);
    expect(createEnumerator('host').label('web.corp')).toBe('host-1'); // per instance
  });

  it('refuses an empty prefix', () => {
    expect(() => createEnumerator('')).toThrow(InputError);
  });
});

describe('keyedPermutation', () => {
  const key = Uint8Array.of(1, 2, 3);
  const items = Array.from({ length: 20 }, (_, i) => i);

  it('is a deterministic permutation per key that leaves the input alone', () => {
    const p = keyedPermutation(items, key);
    expect([...p].sort((a, b) => a - b)).toEqual(items);
    expect(keyedPermutation(items, key)).toEqual(p);
    expect(keyedPermutation(items, Uint8Array.of(1, 2, 4))).not.toEqual(p);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(keyedPermutation([], key)).toEqual([]);
    expect(keyedPermutation(['only'], key)).toEqual(['only']);
  });

  it('is unbiased: every order of three items is about equally frequent over many keys', () => {
    const counts = new Map<string, number>();
    const runs = 6000;
    for (let i = 0; i < runs; i++) {
      const order = keyedPermutation(['a', 'b', 'c'], Uint8Array.of(i >> 8, i & 0xff, 7)).join('');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Chi-square with 5 degrees of freedom; 20.5 is the 0.999 quantile.
    const expected = runs / 6;
    const chi = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(20.5);
  });

  it('refuses an empty key', () => {
    expect(() => keyedPermutation([1, 2], new Uint8Array(0))).toThrow(InputError);
  });
});

describe('suppress', () => {
  it('drops values and marks placeholders', () => {
    expect(suppress()).toBeNull();
    expect(SUPPRESSED).toBe('[suppressed]');
    expect(isSuppressed('[suppressed]')).toBe(true);
    expect(isSuppressed('x')).toBe(false);
  });
});
