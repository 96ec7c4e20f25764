import { describe, expect, it } from 'vitest';
import { renderComparison } from '../export/pattern.js';
import { PatternSyntaxError } from './pattern-lexer.js';
import { parsePattern, patternAlternatives } from './pattern-parser.js';

const alternatives = (pattern: string): unknown => patternAlternatives(parsePattern(pattern));

describe('parsePattern / patternAlternatives', () => {
  it('reads a comparison with quoted path steps, list indexes and escapes', () => {
    expect(alternatives("[file:hashes.'SHA-256' = 'ab' AND email-message:to_refs[*].value = 'o\\'n\\\\x']")).toEqual([[
      { object: 'file', path: ['hashes', 'SHA-256'], operator: '=', value: 'ab' },
      { object: 'email-message', path: ['to_refs', '[*]', 'value'], operator: '=', value: "o'n\\x" },
    ]]);
  });

  it('splits OR into alternatives and multiplies out AND, at both levels', () => {
    expect(alternatives("[ipv4-addr:value = '1.1.1.1' OR ipv4-addr:value = '2.2.2.2'] AND [domain-name:value = 'a.example']")).toEqual([
      [{ object: 'ipv4-addr', path: ['value'], operator: '=', value: '1.1.1.1' }, { object: 'domain-name', path: ['value'], operator: '=', value: 'a.example' }],
      [{ object: 'ipv4-addr', path: ['value'], operator: '=', value: '2.2.2.2' }, { object: 'domain-name', path: ['value'], operator: '=', value: 'a.example' }],
    ]);
    expect(alternatives("([a:b = 1] OR ([c:d = 2]))")).toEqual([[{ object: 'a', path: ['b'], operator: '=', value: 1 }], [{ object: 'c', path: ['d'], operator: '=', value: 2 }]]);
  });

  it('canonicalises hash names so foreign spellings match', () => {
    expect(alternatives("[file:hashes.sha256 = 'x' AND file:hashes.MD5 = 'y']")).toEqual([[
      { object: 'file', path: ['hashes', 'SHA-256'], operator: '=', value: 'x' },
      { object: 'file', path: ['hashes', 'MD5'], operator: '=', value: 'y' },
    ]]);
  });

  it('reads ISSUBSET, numbers and booleans; has no alternatives for what attributes cannot say', () => {
    expect(alternatives("[ipv4-addr:value ISSUBSET '10.0.0.0/8']")).toEqual([[{ object: 'ipv4-addr', path: ['value'], operator: 'ISSUBSET', value: '10.0.0.0/8' }]]);
    expect(alternatives('[network-traffic:dst_port = 443 AND x-a:flag = true]')).toEqual([[
      { object: 'network-traffic', path: ['dst_port'], operator: '=', value: 443 }, { object: 'x-a', path: ['flag'], operator: '=', value: true },
    ]]);
    for (const p of [
      "[file:name != 'a']", "[file:name NOT = 'a']", "[file:name LIKE 'a%']", "[file:size > 5]", "[file:name IN ('a', 'b')]",
      "[file:name = 'a'] WITHIN 5 SECONDS", "[file:name = 'a'] REPEATS 2 TIMES", "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
      "[file:name = 'a'] START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'", "[file:hashes.MD5 = h'ab']", '[EXISTS file:name]',
    ]) {
      expect(alternatives(p), p).toBeUndefined();
    }
  });

  it.each([
    ["[file:name = 'a'", /expected "\]"/],
    ["[file:name = 'a]", /unterminated string/],
    ["[file:name = 'a\\n']", /invalid escape/],
    ["file:name = 'a'", /expected "\[" or "\("/],
    ["[file = 'a']", /expected ":"/],
    ["[file:name 'a']", /expected a comparison operator/],
    ["[file:name = ]", /expected a literal/],
    ["[file:name = 'a'] junk", /unexpected text/],
    ["[file:name = 'a' # ]", /unexpected character/],
    ['', /expected "\[" or "\("/],
  ])('rejects %s', (pattern, message) => {
    expect(() => parsePattern(pattern)).toThrow(PatternSyntaxError);
    expect(() => parsePattern(pattern)).toThrow(message);
  });

  it('reads back any string the exporter quotes', () => {
    const strings = ["plain", "it's", 'back\\slash', "\\'", "'", '\\', "a'b\\c'\\\\d", 'üñí €', ' ', "]['"];
    for (const value of strings) {
      const rendered = `[${renderComparison({ object: 'x-test', path: ['a b', 'c'], operator: '=', value })}]`;
      expect(alternatives(rendered), rendered).toEqual([[{ object: 'x-test', path: ['a b', 'c'], operator: '=', value }]]);
    }
  });
});
