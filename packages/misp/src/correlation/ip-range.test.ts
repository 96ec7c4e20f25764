import { describe, expect, it } from 'vitest';
import { ipCorrelationValue, ipRange, isIpType } from './ip-range.js';

describe('ipRange', () => {
  it.each([
    ['192.0.2.1', 4, 'c0000201', 'c0000201'],
    ['192.0.2.1/32', 4, 'c0000201', 'c0000201'],
    ['192.0.2.0/24', 4, 'c0000200', 'c00002ff'],
    ['192.0.2.77/24', 4, 'c0000200', 'c00002ff'],
    ['10.1.2.3/8', 4, '0a000000', '0affffff'],
    ['10.1.2.3/13', 4, '0a000000', '0a07ffff'],
    ['0.0.0.0/0', 4, '00000000', 'ffffffff'],
    ['255.255.255.255', 4, 'ffffffff', 'ffffffff'],
    ['::', 6, '0'.repeat(32), '0'.repeat(32)],
    ['::/0', 6, '0'.repeat(32), 'f'.repeat(32)],
    ['2001:db8::1', 6, '20010db8000000000000000000000001', '20010db8000000000000000000000001'],
    ['2001:db8::1/128', 6, '20010db8000000000000000000000001', '20010db8000000000000000000000001'],
    ['2001:DB8::/32', 6, '20010db8000000000000000000000000', '20010db8ffffffffffffffffffffffff'],
    ['2001:db8::abcd/127', 6, '20010db800000000000000000000abcc', '20010db800000000000000000000abcd'],
    ['::ffff:192.0.2.1', 6, '00000000000000000000ffffc0000201', '00000000000000000000ffffc0000201'],
    ['::ffff:192.0.2.0/120', 6, '00000000000000000000ffffc0000200', '00000000000000000000ffffc00002ff'],
    [' 192.0.2.1 ', 4, 'c0000201', 'c0000201'],
  ] as const)('%s', (value, family, start, end) => {
    expect(ipRange(value)).toEqual({ family, start, end });
  });

  it('produces strings whose lexical order is numeric order', () => {
    const values = ['9.255.255.255', '10.0.0.0', '10.0.0.10', '10.0.0.9', '100.0.0.0', '2.0.0.0'];
    const byHex = [...values].sort((a, b) => (ipRange(a)?.start ?? '').localeCompare(ipRange(b)?.start ?? ''));
    expect(byHex).toEqual(['2.0.0.0', '9.255.255.255', '10.0.0.0', '10.0.0.9', '10.0.0.10', '100.0.0.0']);
  });

  it('contains an address in a block exactly when it lies between start and end', () => {
    const block = ipRange('198.51.100.0/22');
    const inside = ipRange('198.51.103.255');
    const outside = ipRange('198.51.104.0');
    if (!block || !inside || !outside) throw new Error('parse failed');
    expect(inside.start >= block.start && inside.end <= block.end).toBe(true);
    expect(outside.start >= block.start && outside.end <= block.end).toBe(false);
  });

  it.each(['', 'example.com', '192.0.2.1/33', '::/129', '192.0.2.256', '192.0.2.1|80', '010.0.0.1', 'fe80::1%eth0'])('is undefined for %j', (value) => {
    expect(ipRange(value)).toBeUndefined();
  });
});

describe('isIpType / ipCorrelationValue', () => {
  it('knows the IP-bearing types and which half holds the IP', () => {
    for (const type of ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip']) expect(isIpType(type), type).toBe(true);
    for (const type of ['domain', 'hostname', 'hostname|port', 'url', 'AS']) expect(isIpType(type), type).toBe(false);
    expect(ipCorrelationValue('ip-src', '10.0.0.0/8', '')).toBe('10.0.0.0/8');
    expect(ipCorrelationValue('ip-dst|port', '192.0.2.1', '80')).toBe('192.0.2.1');
    expect(ipCorrelationValue('domain|ip', 'example.com', '192.0.2.1')).toBe('192.0.2.1');
    expect(ipCorrelationValue('hostname', 'example.com', '')).toBeUndefined();
  });
});
