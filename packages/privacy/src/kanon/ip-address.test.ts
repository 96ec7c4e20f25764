import { describe, expect, it } from 'vitest';
import { commonPrefix, formatIpAddress, parseIpAddress } from './ip-address.js';

describe('IP addresses', () => {
  it('parses and formats IPv4 and IPv6 canonically', () => {
    expect(parseIpAddress('192.0.2.1')).toEqual({ family: 4, value: 0xc0000201n });
    expect(formatIpAddress(parseIpAddress('2001:DB8:0:0:0:0:0:1')!)).toBe('2001:db8::1');
    expect(formatIpAddress(parseIpAddress('::')!)).toBe('::');
    expect(formatIpAddress(parseIpAddress('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpAddress(parseIpAddress('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
    expect(parseIpAddress('::ffff:192.0.2.1')).toEqual({ family: 6, value: 0xffffc0000201n });
  });

  it.each(['256.1.1.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', 'host.example', '', '12345::'])('rejects %j', (bad) => {
    expect(parseIpAddress(bad)).toBeUndefined();
  });

  it('generalises to the longest common prefix', () => {
    const v4 = (s: string): bigint => parseIpAddress(s)!.value;
    expect(commonPrefix(v4('10.1.2.3'), v4('10.1.200.4'), 4)).toBe('10.1.0.0/16');
    expect(commonPrefix(v4('10.1.2.3'), v4('10.1.3.4'), 4)).toBe('10.1.2.0/23');
    expect(commonPrefix(v4('10.1.2.3'), v4('10.1.2.3'), 4)).toBe('10.1.2.3');
    expect(commonPrefix(v4('1.0.0.0'), v4('200.0.0.0'), 4)).toBe('0.0.0.0/0');
    expect(commonPrefix(parseIpAddress('2001:db8::1')!.value, parseIpAddress('2001:db8::ff')!.value, 6)).toBe('2001:db8::/120');
  });
});
