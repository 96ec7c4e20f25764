import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parsePolicy } from './parse-policy.js';
import { printPolicy } from './print-policy.js';
import { satisfies, policyAttributes } from './satisfies.js';
import { seededRandom } from '../random/random.js';
import { intGenerator, randomPolicy } from '../test-support/random-policy.js';

function errorOf(text: string): InputError {
  try {
    parsePolicy(text);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parsePolicy', () => {
  it('gives AND precedence over OR and keeps attribute names exact', () => {
    expect(parsePolicy('a OR b AND c')).toEqual({
      type: 'or',
      children: [{ type: 'attribute', name: 'a' }, { type: 'and', children: [{ type: 'attribute', name: 'b' }, { type: 'attribute', name: 'c' }] }],
    });
    expect(printPolicy(parsePolicy('(sector:energy and country:BE) or role:CERT'))).toBe('sector:energy AND country:BE OR role:CERT');
    expect(printPolicy(parsePolicy('(a OR b) aNd c'))).toBe('(a OR b) AND c');
    expect(policyAttributes(parsePolicy('x.y_z-1 AND x.y_z-1 OR Q'))).toEqual(['x.y_z-1', 'Q']);
  });

  it('flattens nested operators and drops redundant parentheses', () => {
    expect(printPolicy(parsePolicy('((a AND (b AND c)))'))).toBe('a AND b AND c');
    expect(parsePolicy('(a OR (b OR c))')).toEqual({ type: 'or', children: ['a', 'b', 'c'].map((name) => ({ type: 'attribute', name })) });
  });

  it('parses thresholds with nested operands', () => {
    const p = parsePolicy('2 OF (a, b AND c, (d OR e))');
    expect(p.type).toBe('threshold');
    expect(printPolicy(p)).toBe('2 of (a, b AND c, d OR e)');
    expect(satisfies(p, ['a', 'd'])).toBe(true);
    expect(satisfies(p, ['a', 'b'])).toBe(false);
    expect(satisfies(p, ['b', 'c', 'e'])).toBe(true);
    // A number alone is an attribute name, not a threshold.
    expect(parsePolicy('42')).toEqual({ type: 'attribute', name: '42' });
  });

  it('reports the position and what was expected', () => {
    expect(errorOf('').message).toBe('policy: at position 0: expected an attribute, "(" or a threshold "K of (…)" but found end of policy');
    expect(errorOf('a AND').details).toMatchObject({ field: 'policy', position: 5 });
    expect(errorOf('(a OR b').message).toContain('at position 7: expected "AND", "OR" or ")"');
    expect(errorOf('a b').message).toBe('policy: at position 2: expected "AND", "OR" or the end of the policy but found "b"');
    expect(errorOf('a AND $x').message).toContain('at position 6: expected an attribute, "(", ")", "," or a keyword but found the character "$"');
    expect(errorOf('3 of (a, b)').message).toContain('at position 0: expected a threshold between 1 and 2');
    expect(errorOf('0 of (a)').message).toContain('a threshold between 1 and 1');
    expect(errorOf('2 of a, b').message).toContain('expected "(" after "of"');
    expect(errorOf('2 of (a b)').message).toContain('expected "," or ")"');
    expect(errorOf('and').message).toContain('found "and"');
    expect(errorOf('a OR )').details.position).toBe(5);
    expect(errorOf('x'.repeat(20_000)).message).toContain('longer than');
    expect(errorOf(Array.from({ length: 600 }, (_, i) => `a${i}`).join(' OR ')).message).toContain('at most 512 attributes');
    expect(errorOf('('.repeat(100) + 'a' + ')'.repeat(100)).message).toContain('levels of nesting');
  });

  it('round-trips through the canonical printer (random policies)', () => {
    const int = intGenerator(seededRandom('policy-roundtrip'));
    const universe = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let i = 0; i < 300; i += 1) {
      const p = randomPolicy(int, universe, 2 + int(12));
      const printed = printPolicy(p);
      expect(parsePolicy(printed), printed).toEqual(p);
      // Keywords are case-insensitive; the universe is lower case, so lower-casing changes only keywords.
      expect(printPolicy(parsePolicy(printed.toLowerCase()))).toBe(printed);
    }
  });
});
