import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { buildHierarchy, lowestCommonAncestor } from './hierarchy.js';

describe('generalisation hierarchy', () => {
  const h = buildHierarchy({ DE: 'EU', FR: 'EU', US: 'NA', CA: 'NA', EU: '*' }, 'h');

  it('numbers nodes in preorder with children sorted, and counts leaves', () => {
    expect(h.names).toEqual(['*', 'EU', 'DE', 'FR', 'NA', 'CA', 'US']);
    expect(Array.from(h.leaves)).toEqual([4, 2, 1, 1, 2, 1, 1]);
    expect(Array.from(h.end)).toEqual([6, 3, 2, 3, 6, 5, 6]);
  });

  it('finds the lowest common ancestor', () => {
    const i = (n: string): number => h.index.get(n)!;
    expect(h.names[lowestCommonAncestor(h, i('DE'), i('FR'))]).toBe('EU');
    expect(h.names[lowestCommonAncestor(h, i('FR'), i('CA'))]).toBe('*');
    expect(h.names[lowestCommonAncestor(h, i('US'), i('US'))]).toBe('US');
  });

  it('rejects cycles and a parent for the root', () => {
    expect(() => buildHierarchy({ a: 'b', b: 'a' }, 'quasiIdentifiers[0].hierarchy')).toThrow(/cycle/);
    expect(() => buildHierarchy({ '*': 'x' }, 'h')).toThrow(InputError);
    expect(() => buildHierarchy({ a: '' }, 'h')).toThrow(/parent of "a"/);
  });
});
