import { describe, expect, it } from 'vitest';
import { compilePhpRegex } from './php-regex.js';

describe('compilePhpRegex', () => {
  it('turns delimited PHP patterns with flags into RegExps', () => {
    const result = compilePhpRegex('/^(security|noc|soc|abuse)\\@.*\\..*$/i');
    expect(result.ok && result.regex.test('ABUSE@example.com')).toBe(true);
    const hash = compilePhpRegex('#^a/b$#');
    expect(hash.ok && hash.regex.test('a/b')).toBe(true);
    const braces = compilePhpRegex('{^x}m');
    expect(braces.ok && braces.regex.flags).toBe('m');
  });

  it("drops the 'g' flag with a note, so tests stay stateless", () => {
    const result = compilePhpRegex('/55501/g');
    expect(result.ok && result.note).toBe("flag 'g' ignored (PHP has no such modifier)");
    expect(result.ok && [result.regex.test('+15555501234'), result.regex.test('+15555501234')]).toEqual([true, true]);
  });

  it.each([
    ['abc', 'a PHP regex must start with a delimiter such as /'],
    ['/abc', 'no closing delimiter /'],
    ['/a/x', "PCRE modifier 'x' has no JavaScript equivalent"],
    ['/(/', 'Invalid regular expression: /(/: Unterminated group'],
  ])('refuses %j', (source, reason) => {
    expect(compilePhpRegex(source)).toEqual({ ok: false, reason });
  });
});
