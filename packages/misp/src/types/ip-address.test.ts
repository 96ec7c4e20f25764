import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress, parseIpNetwork, parseIpv4, parseIpv6 } from './ip-address.js';

const canonical = (text: string): string | undefined => {
  const address = parseIpAddress(text);
  return address ? formatIpAddress(address) : undefined;
};

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.0.2.10', [192, 0, 2, 10]],
  ])('parses %s', (text, bytes) => {
    expect(parseIpv4(text)).toEqual(bytes);
  });

  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '1.2.3.-1', '1.2.3.a', '', ' 1.2.3.4', '1..2.3', '0x1.2.3.4'])(
    'refuses %j',
    (text) => {
      expect(parseIpv4(text)).toBeUndefined();
    },
  );
});

describe('parseIpv6', () => {
  it('parses full, compressed and dotted forms', () => {
    expect(parseIpv6('::')).toEqual(new Array(16).fill(0));
    expect(parseIpv6('::1')?.[15]).toBe(1);
    expect(parseIpv6('2001:DB8::1')?.slice(0, 4)).toEqual([0x20, 0x01, 0x0d, 0xb8]);
    expect(parseIpv6('::ffff:192.0.2.1')?.slice(10)).toEqual([0xff, 0xff, 192, 0, 2, 1]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(parseIpv6('1:2:3:4:5:6:7::')).toHaveLength(16);
    expect(parseIpv6('::2:3:4:5:6:7:8')).toHaveLength(16);
  });

  it.each([
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::1',
    'g::1',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    'fe80::1%eth0',
    '::ffff:256.1.1.1',
    '::ffff:1.2.3',
    '1.2.3.4',
    '',
  ])('refuses %j', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});

describe('formatIpAddress', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['FE80::0202:B3FF:FE1E:8329', 'fe80::202:b3ff:fe1e:8329'],
    ['::FFFF:C000:0201', '::ffff:192.0.2.1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['198.51.100.7', '198.51.100.7'],
  ])('%s → %s', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });
});

describe('parseIpNetwork', () => {
  it('parses addresses and prefixes', () => {
    expect(parseIpNetwork('10.0.0.0/8')).toMatchObject({ prefix: 8, hasPrefix: true, address: { family: 4 } });
    expect(parseIpNetwork('10.0.0.1')).toMatchObject({ prefix: 32, hasPrefix: false });
    expect(parseIpNetwork('::/0')).toMatchObject({ prefix: 0, address: { family: 6 } });
    expect(parseIpNetwork('2001:db8::/128')).toMatchObject({ prefix: 128 });
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a', '10.0.0.0/-1', '10.0.0.0/8/8', '/8', 'example.com/8'])(
    'refuses %j',
    (text) => {
      expect(parseIpNetwork(text)).toBeUndefined();
    },
  );
});
