import { describe, expect, it } from 'vitest';
import { createMultiPatternSearch } from './aho-corasick.js';

function found(patterns: string[], text: string): number[] {
  const hits = new Set<number>();
  createMultiPatternSearch(patterns).search(text, (p) => hits.add(p));
  return [...hits].sort((a, b) => a - b);
}

describe('createMultiPatternSearch', () => {
  it('finds overlapping and nested patterns (the classic he/she/his/hers case)', () => {
    expect(found(['he', 'she', 'his', 'hers'], 'ushers')).toEqual([0, 1, 3]);
  });

  it('finds patterns reachable only through failure links', () => {
    expect(found(['abcd', 'bc', 'c'], 'xabcx')).toEqual([1, 2]);
    expect(found(['aab', 'ab'], 'aaab')).toEqual([0, 1]);
  });

  it('agrees with a naive search on random inputs', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (length: number): string => Array.from({ length }, () => 'abc'.charAt(random(3))).join('');
    for (let round = 0; round < 200; round++) {
      const patterns = Array.from({ length: 1 + random(8) }, () => word(1 + random(4)));
      const text = word(random(20));
      const naive = patterns.flatMap((p, i) => (text.includes(p) ? [i] : []));
      expect(found(patterns, text)).toEqual(naive);
    }
  });

  it('handles no patterns, empty patterns and non-ASCII text', () => {
    expect(found([], 'abc')).toEqual([]);
    expect(found(['', 'é'], 'café')).toEqual([1]);
  });
});
