import { describe, expect, it } from 'vitest';
import { splitCompositeValue } from './split-composite-value.js';

describe('splitCompositeValue', () => {
  it('splits composite values at the |', () => {
    expect(splitCompositeValue('filename|md5', 'a.exe|d41d8cd98f00b204e9800998ecf8427e')).toEqual({
      value1: 'a.exe',
      value2: 'd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(splitCompositeValue('malware-sample', 'a.exe|d41d8cd98f00b204e9800998ecf8427e').value1).toBe('a.exe');
    expect(splitCompositeValue('ip-dst|port', '2001:db8::1|443')).toEqual({ value1: '2001:db8::1', value2: '443' });
    expect(splitCompositeValue('regkey|value', 'HKLM\\x|')).toEqual({ value1: 'HKLM\\x', value2: '' });
  });

  it('keeps everything after the first | in value2 when there are several', () => {
    expect(splitCompositeValue('regkey|value', 'k|a|b')).toEqual({ value1: 'k', value2: 'a|b' });
  });

  it('gives an empty value2 to a composite value without |', () => {
    expect(splitCompositeValue('domain|ip', 'example.com')).toEqual({ value1: 'example.com', value2: '' });
  });

  it('never splits non-composite or unknown types', () => {
    expect(splitCompositeValue('text', 'a|b')).toEqual({ value1: 'a|b', value2: '' });
    expect(splitCompositeValue('url', 'http://a/?x=1|2')).toEqual({ value1: 'http://a/?x=1|2', value2: '' });
    expect(splitCompositeValue('made|up', 'a|b')).toEqual({ value1: 'a|b', value2: '' });
  });
});
