import { describe, expect, it } from 'vitest';
import { describeTypes } from '../types/describe-types.js';
import { validateAttributeValue } from '../types/validate-attribute-value.js';
import { correlationValues, isCorrelatingType, NON_CORRELATING_TYPES, PRIMARY_ONLY_CORRELATING_TYPES } from './correlation-values.js';

describe('correlationValues', () => {
  it('uses MISP non-correlating types, all of them known types', () => {
    expect([...NON_CORRELATING_TYPES].sort()).toEqual(
      ['comment', 'http-method', 'aba-rtn', 'gender', 'counter', 'integer', 'float', 'port', 'nationality', 'cortex', 'boolean', 'anonymised'].sort(),
    );
    for (const type of [...NON_CORRELATING_TYPES, ...PRIMARY_ONLY_CORRELATING_TYPES]) expect(describeTypes().types).toContain(type);
  });

  it.each(NON_CORRELATING_TYPES)('gives nothing for %s', (type) => {
    expect(isCorrelatingType(type)).toBe(false);
    expect(correlationValues(type, 'x', '')).toEqual([]);
  });

  it('correlates plain types on value1', () => {
    expect(correlationValues('md5', 'd41d8cd98f00b204e9800998ecf8427e', '')).toEqual(['d41d8cd98f00b204e9800998ecf8427e']);
    expect(correlationValues('text', 'some text', '')).toEqual(['some text']);
    expect(correlationValues('other', 'x', '')).toEqual(['x']);
    expect(correlationValues('datetime', '2024-01-01T00:00:00.000000+0000', '')).toEqual(['2024-01-01T00:00:00.000000+0000']);
    expect(isCorrelatingType('ip-dst')).toBe(true);
  });

  it('correlates both halves of composite types', () => {
    expect(correlationValues('filename|md5', 'a.exe', 'd41d8cd98f00b204e9800998ecf8427e')).toEqual(['a.exe', 'd41d8cd98f00b204e9800998ecf8427e']);
    expect(correlationValues('domain|ip', 'example.com', '192.0.2.1')).toEqual(['example.com', '192.0.2.1']);
    expect(correlationValues('malware-sample', 'a.exe', 'd41d8cd98f00b204e9800998ecf8427e')).toHaveLength(2);
  });

  it.each(PRIMARY_ONLY_CORRELATING_TYPES)('correlates %s on value1 only (not on the port)', (type) => {
    expect(correlationValues(type, 'v1', '443')).toEqual(['v1']);
  });

  it('skips an empty value2 and a value2 equal to value1, and an empty value1', () => {
    expect(correlationValues('regkey|value', 'HKLM\\x', '')).toEqual(['HKLM\\x']);
    expect(correlationValues('regkey|value', 'same', 'same')).toEqual(['same']);
    expect(correlationValues('md5', '', '')).toEqual([]);
  });

  it('works on validated values of every correlating type', () => {
    const verdict = validateAttributeValue('ip-dst|port', '192.0.2.1:80');
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(correlationValues('ip-dst|port', verdict.value1, verdict.value2)).toEqual(['192.0.2.1']);
  });
});
