import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { emailToDomain, generaliseTimestamp, portClass, portToRange, truncateIp, truncateIpByVersion, urlToDomain } from './generalise.js';

describe('truncateIp', () => {
  it('keeps the network address of IPv4 prefixes', () => {
    expect(truncateIp('192.0.2.77', 24)).toBe('192.0.2.0');
    expect(truncateIp('192.0.2.77', 24, { cidr: true })).toBe('192.0.2.0/24');
    expect(truncateIp('203.0.113.255', 20)).toBe('203.0.112.0');
    expect(truncateIp('203.0.113.255', 32)).toBe('203.0.113.255');
    expect(truncateIp('203.0.113.255', 0, { cidr: true })).toBe('0.0.0.0/0');
    expect(truncateIp('10.255.1.1', 9)).toBe('10.128.0.0');
  });

  it('keeps the network address of IPv6 prefixes, in RFC 5952 form', () => {
    expect(truncateIp('2001:db8:abcd:1234:5678::1', 48)).toBe('2001:db8:abcd::');
    expect(truncateIp('2001:db8:abcd:1234:5678::1', 64, { cidr: true })).toBe('2001:db8:abcd:1234::/64');
    expect(truncateIp('2001:db8:abcd:ffff::1', 52)).toBe('2001:db8:abcd:f000::');
    expect(truncateIp('2001:db8::1', 128)).toBe('2001:db8::1');
    expect(truncateIp('2001:db8::1', 0)).toBe('::');
    expect(truncateIp('::ffff:192.0.2.77', 120)).toBe('::ffff:192.0.2.0');
  });

  it('picks the prefix by version', () => {
    expect(truncateIpByVersion('192.0.2.77', 24, 48)).toBe('192.0.2.0');
    expect(truncateIpByVersion('2001:db8:1:2::1', 24, 48, { cidr: true })).toBe('2001:db8:1::/48');
  });

  it('refuses bad prefixes and addresses', () => {
    expect(() => truncateIp('192.0.2.1', 33)).toThrow('0 to 32');
    expect(() => truncateIp('2001:db8::1', 129)).toThrow('0 to 128');
    expect(() => truncateIp('192.0.2.1', -1)).toThrow(InputError);
    expect(() => truncateIp('192.0.2.1', 8.5)).toThrow(InputError);
    expect(() => truncateIp('evil.com', 24)).toThrow(InputError);
  });
});

describe('generaliseTimestamp', () => {
  // 2024-05-08 was a Wednesday.
  const iso = '2024-05-08T13:47:21.123Z';
  const epoch = String(Date.parse(iso) / 1000 - 0.123);

  it.each([
    ['minute', '2024-05-08T13:47:00Z'],
    ['hour', '2024-05-08T13:00:00Z'],
    ['day', '2024-05-08T00:00:00Z'],
    ['week', '2024-05-06T00:00:00Z'],
    ['month', '2024-05-01T00:00:00Z'],
  ] as const)('rounds down to the %s', (unit, expected) => {
    expect(generaliseTimestamp(iso, unit)).toBe(expected);
    expect(generaliseTimestamp(epoch, unit)).toBe(expected);
    expect(generaliseTimestamp(Number(epoch), unit)).toBe(expected);
    expect(generaliseTimestamp(new Date(iso), unit)).toBe(expected);
  });

  it('starts weeks on Monday, also across months, years and before 1970', () => {
    expect(generaliseTimestamp('2024-05-06T00:00:00Z', 'week')).toBe('2024-05-06T00:00:00Z'); // a Monday
    expect(generaliseTimestamp('2024-05-05T23:59:59Z', 'week')).toBe('2024-04-29T00:00:00Z'); // a Sunday
    expect(generaliseTimestamp('2025-01-01T12:00:00Z', 'week')).toBe('2024-12-30T00:00:00Z');
    expect(generaliseTimestamp('1969-12-31T12:00:00Z', 'week')).toBe('1969-12-29T00:00:00Z');
    expect(generaliseTimestamp('0', 'week')).toBe('1969-12-29T00:00:00Z');
  });

  it('reads ISO forms MISP and STIX use (zones, no zone, date only, space separator)', () => {
    expect(generaliseTimestamp('2024-05-08T15:47:21+02:00', 'hour')).toBe('2024-05-08T13:00:00Z');
    expect(generaliseTimestamp('2024-05-08T15:47:21+0200', 'hour')).toBe('2024-05-08T13:00:00Z');
    expect(generaliseTimestamp('2024-05-08 13:47:21', 'hour')).toBe('2024-05-08T13:00:00Z');
    expect(generaliseTimestamp('2024-05-08', 'month')).toBe('2024-05-01T00:00:00Z');
    expect(generaliseTimestamp('2024-05-08t13:47:21z', 'minute')).toBe('2024-05-08T13:47:00Z');
  });

  it('refuses unreadable timestamps and units', () => {
    expect(() => generaliseTimestamp('yesterday', 'day')).toThrow('not a timestamp');
    expect(() => generaliseTimestamp('2024-13-45', 'day')).toThrow('not a valid date');
    expect(() => generaliseTimestamp(Number.NaN, 'day')).toThrow(InputError);
    expect(() => generaliseTimestamp(iso, 'year' as 'day')).toThrow('unknown time unit');
  });
});

describe('urlToDomain', () => {
  it.each([
    ['https://Evil.COM/path?q=1', 'evil.com'],
    ['evil.com/a', 'evil.com'],
    ['evil.com', 'evil.com'],
    ['http://user:pw@sub.evil.com:8080/x', 'sub.evil.com'],
    ['hxxp://evil.com./login', 'evil.com'],
    ['//cdn.evil.com/x.js', 'cdn.evil.com'],
    ['ftp://192.0.2.1:21/file', '192.0.2.1'],
    ['http://[2001:db8::1]:8080/', '2001:db8::1'],
    ['evil.com?x=a/b', 'evil.com'],
    ['evil.com#frag', 'evil.com'],
  ])('%s → %s', (url, host) => expect(urlToDomain(url)).toBe(host));

  it('refuses URLs without a host', () => {
    expect(() => urlToDomain('')).toThrow('no host');
    expect(() => urlToDomain('https:///path')).toThrow('no host');
    expect(() => urlToDomain('http://[2001:db8::1/')).toThrow('unclosed');
    expect(() => urlToDomain('http://ev il.com/')).toThrow(InputError);
  });
});

describe('emailToDomain', () => {
  it('keeps the domain, lower case', () => {
    expect(emailToDomain('Alice@Example.ORG')).toBe('example.org');
    expect(emailToDomain('"odd@local"@mail.example.net')).toBe('mail.example.net');
  });

  it('refuses non-addresses', () => {
    expect(() => emailToDomain('example.org')).toThrow('not an e-mail');
    expect(() => emailToDomain('alice@')).toThrow(InputError);
    expect(() => emailToDomain('@example.org')).toThrow(InputError);
  });
});

describe('ports', () => {
  it('puts a port in its block of width ports', () => {
    expect(portToRange(1080, 1024)).toBe('1024-2047');
    expect(portToRange('443', 1024)).toBe('0-1023');
    expect(portToRange(65_535, 1000)).toBe('65000-65535');
    expect(portToRange(8080, 1)).toBe('8080-8080');
    expect(portToRange(0, 65_536)).toBe('0-65535');
  });

  it('classifies ports as RFC 6335 does', () => {
    expect(portClass(0)).toBe('well-known');
    expect(portClass('1023')).toBe('well-known');
    expect(portClass(1024)).toBe('registered');
    expect(portClass(49_151)).toBe('registered');
    expect(portClass(49_152)).toBe('dynamic');
    expect(portClass(65_535)).toBe('dynamic');
  });

  it('refuses bad ports and widths', () => {
    expect(() => portToRange(65_536, 1024)).toThrow('not a port');
    expect(() => portToRange('80a', 1024)).toThrow(InputError);
    expect(() => portToRange(-1, 1024)).toThrow(InputError);
    expect(() => portToRange(80, 0)).toThrow('width');
    expect(() => portClass(1.5)).toThrow(InputError);
  });
});
