import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { ipOf, ipv6Text, parseIp, rangeToCidrs } from './ip-address.js';
import { isNonPublic } from './private-ranges.js';
import { guessType } from './guess-type.js';

describe('parseIp', () => {
  it('reads IPv4 as an unsigned 32-bit number', () => {
    expect(parseIp('1.0.0.0')).toEqual({ family: 4, value: 16777216, text: '1.0.0.0' });
    expect(parseIp('255.255.255.255')?.value).toBe(0xffffffff);
  });
  it('reads IPv6 with ::, and IPv4-mapped addresses as IPv4', () => {
    expect(parseIp('2001:200::')?.value).toBe(42540528726795050063891204319802818560n);
    expect(parseIp('::1')?.value).toBe(1n);
    expect(parseIp('::ffff:8.8.8.8')).toEqual({ family: 4, value: 0x08080808, text: '8.8.8.8' });
    expect(parseIp('64:ff9b::192.0.2.33')?.value).toBe((0x64ff9bn << 96n) | 0xc0000221n);
  });
  it('rejects what is no address', () => {
    for (const bad of ['', '1.2.3', '1.2.3.256', 'example.com', '1::2::3', '10.0.0.0/8']) expect(parseIp(bad)).toBeUndefined();
  });
  it('prints IPv6 canonically', () => {
    expect(ipv6Text(1n)).toBe('::1');
    expect(ipv6Text(42540528726795050063891204319802818560n)).toBe('2001:200::');
    expect(ipv6Text(0x20010db8000000000001000000000001n)).toBe('2001:db8::1:0:0:1');
  });
});

describe('ipOf', () => {
  it('finds the address in IP-bearing attribute types', () => {
    expect(ipOf('ip-src', '8.8.8.8').text).toBe('8.8.8.8');
    expect(ipOf('ip-dst|port', '2001:db8::1|443').text).toBe('2001:db8::1');
    expect(ipOf('domain|ip', 'example.com|1.2.3.4').text).toBe('1.2.3.4');
  });
  it('rejects other types and malformed values with InputError', () => {
    expect(() => ipOf('domain', 'example.com')).toThrow(InputError);
    expect(() => ipOf('ip-src', '999.1.1.1')).toThrow(/not a valid ip-src value/);
  });
});

describe('rangeToCidrs', () => {
  it('covers a range exactly with aligned blocks', () => {
    expect(rangeToCidrs(4, 16777216n, 16777471n)).toEqual(['1.0.0.0/24']);
    expect(rangeToCidrs(4, 16777472n, 16778239n)).toEqual(['1.0.1.0/24', '1.0.2.0/23']);
    expect(rangeToCidrs(6, 42540528726795050063891204319802818560n, 42540528806023212578155541913346768895n)).toEqual(['2001:200::/32']);
    expect(rangeToCidrs(4, 0n, 0xffffffffn)).toEqual(['0.0.0.0/0']);
  });
  it('stops at the limit', () => {
    expect(rangeToCidrs(4, 1n, 1000n, 3)).toHaveLength(3);
  });
});

describe('isNonPublic', () => {
  it('knows private, loopback, link-local and documentation ranges', () => {
    for (const ip of ['10.1.2.3', '192.168.0.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', 'fe80::1', 'fd00::1', '::1']) expect(isNonPublic(parseIp(ip) ?? parseIp('0.0.0.0')!), ip).toBe(true);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) expect(isNonPublic(parseIp(ip)!), ip).toBe(false);
  });
});

describe('guessType', () => {
  it('guesses common types', () => {
    expect(guessType('8.8.8.8')).toBe('ip-dst');
    expect(guessType('cve-2021-44228')).toBe('vulnerability');
    expect(guessType('d41d8cd98f00b204e9800998ecf8427e')).toBe('md5');
    expect(guessType('https://example.com/x')).toBe('url');
    expect(guessType('a@example.com')).toBe('email');
    expect(guessType('www.example.com')).toBe('domain');
  });
  it('asks for a type when it cannot tell', () => {
    expect(() => guessType('ssh-bruteforce')).toThrow(/--type/);
    expect(() => guessType('  ')).toThrow(InputError);
  });
});
