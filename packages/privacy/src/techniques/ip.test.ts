import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { formatIp, ipVersion, isInternalIp, parseIp, parseIpv4Word } from './ip.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('parseIp', () => {
  it('reads IPv4 dotted quads', () => {
    expect(parseIp('192.0.2.1')).toEqual({ version: 4, bytes: Uint8Array.from([192, 0, 2, 1]) });
    expect(hex(parseIp('255.255.255.255').bytes)).toBe('ffffffff');
    expect(hex(parseIp('0.0.0.0').bytes)).toBe('00000000');
  });

  it('reads every IPv6 text form, including :: and embedded IPv4', () => {
    expect(hex(parseIp('2001:db8::1').bytes)).toBe('20010db8000000000000000000000001');
    expect(hex(parseIp('::').bytes)).toBe('0'.repeat(32));
    expect(hex(parseIp('::1').bytes)).toBe(`${'0'.repeat(31)}1`);
    expect(hex(parseIp('fe80::').bytes)).toBe(`fe80${'0'.repeat(28)}`);
    expect(hex(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0001').bytes)).toBe('20010db8000000000000000000000001');
    expect(hex(parseIp('::ffff:192.0.2.128').bytes)).toBe('00000000000000000000ffffc0000280');
    expect(hex(parseIp('64:ff9b::192.0.2.33').bytes)).toBe('0064ff9b0000000000000000c0000221');
    expect(hex(parseIp('1:2:3:4:5:6:1.2.3.4').bytes)).toBe('00010002000300040005000601020304');
    expect(parseIp('1:2:3:4:5:6:7::').version).toBe(6);
  });

  it.each([
    ['', 'empty'],
    ['1.2.3', 'expected four'],
    ['1.2.3.256', 'expected four'],
    ['01.2.3.4', 'leading zeros'],
    [' 1.2.3.4', 'expected four'],
    ['1.2.3.4/24', 'expected four'],
    ['example.com', 'expected four'],
    ['1::2::3', 'only once'],
    ['1:2:3:4:5:6:7', 'number of groups'],
    ['1:2:3:4:5:6:7:8:9', 'number of groups'],
    ['1:2:3:4:5:6:7::8', 'number of groups'],
    ['12345::', 'bad group'],
    ['g::1', 'bad group'],
    ['fe80::1%eth0', 'zone'],
    ['::ffff:1.2.3', 'embedded IPv4'],
    ['::1.2.3.4:5', 'embedded IPv4'],
    [':1::2', 'bad group'],
    ['1:2::3:', 'bad group'],
    ['1:::2', 'bad group'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'number of groups'],
  ])('refuses %j (%s)', (text, why) => {
    expect(() => parseIp(text)).toThrow(InputError);
    expect(() => parseIp(text)).toThrow(why);
  });
});

describe('formatIp', () => {
  const canon = (text: string): string => {
    const p = parseIp(text);
    return formatIp(p.version, p.bytes);
  };

  it('writes RFC 5952 canonical IPv6', () => {
    expect(canon('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canon('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // first of equal runs
    expect(canon('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // one zero group stays
    expect(canon('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1'); // the longest run
    expect(canon('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canon('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canon('1:0:0:0:0:0:0:0')).toBe('1::');
    expect(canon('2001:DB8::ABCD')).toBe('2001:db8::abcd');
    expect(canon('::ffff:c000:0280')).toBe('::ffff:192.0.2.128');
    expect(canon('10.1.2.3')).toBe('10.1.2.3');
  });

  it('refuses byte counts that do not fit the version', () => {
    expect(() => formatIp(4, new Uint8Array(16))).toThrow('4 bytes');
    expect(() => formatIp(6, new Uint8Array(4))).toThrow('16 bytes');
  });
});

describe('ipVersion', () => {
  it('tells the version or null', () => {
    expect(ipVersion('192.0.2.1')).toBe(4);
    expect(ipVersion('2001:db8::1')).toBe(6);
    expect(ipVersion('::ffff:1.2.3.4')).toBe(6);
    expect(ipVersion('evil.com')).toBeNull();
    expect(ipVersion('')).toBeNull();
  });
});

describe('isInternalIp', () => {
  it.each([
    '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '127.9.9.9',
    '169.254.1.1', '100.64.0.1', '100.127.255.255', '0.0.0.0', '::', '::1', 'fc00::1', 'fd12:3456::1',
    'fe80::1', 'febf::1', '::ffff:10.1.2.3', '::ffff:192.168.0.1', '::ffff:127.0.0.1',
  ])('%s is internal', (ip) => expect(isInternalIp(ip)).toBe(true));

  it.each([
    '8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '100.63.255.255', '100.128.0.1', '169.253.1.1',
    '198.51.100.7', '2001:db8::1', 'fec0::1', 'ff02::1', '::2', '::ffff:8.8.8.8', 'not-an-ip', '',
  ])('%s is not internal', (ip) => expect(isInternalIp(ip)).toBe(false));
});

describe('parseIpv4Word', () => {
  it('reads dotted quads as unsigned 32-bit numbers', () => {
    expect(parseIpv4Word('0.0.0.0')).toBe(0);
    expect(parseIpv4Word('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4Word('192.0.2.1')).toBe(0xc0000201);
    expect(parseIpv4Word('10.0.0.10')).toBe(0x0a00000a);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '256.1.1.1', '1.2.3.1000', '01.2.3.4', '1.2.3.00', '1.2.3.4 ', 'a.b.c.d', '1.2.3.4/8', '1111.2.3.4'])('refuses %j', (text) => {
    expect(parseIpv4Word(text)).toBe(-1);
  });
});
