import { ipRange } from '@waggle/misp';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../test-support/shared-data.js';
import { loadWarninglistsFromDir } from './warninglist-loader.js';
import { parseIpBlock, type IpBlock } from './parse-ip-block.js';

function asHex(block: IpBlock | undefined): { family: 4 | 6; start: string; end: string } | undefined {
  if (block === undefined) return undefined;
  const width = block.family === 4 ? 8 : 32;
  return { family: block.family, start: block.start.toString(16).padStart(width, '0'), end: block.end.toString(16).padStart(width, '0') };
}

describe('parseIpBlock', () => {
  it('gives ranges with host bits ignored', () => {
    expect(parseIpBlock('10.1.2.3/8')).toEqual({ family: 4, start: 0x0a000000, end: 0x0affffff });
    expect(parseIpBlock('255.255.255.255')).toEqual({ family: 4, start: 0xffffffff, end: 0xffffffff });
    expect(parseIpBlock('0.0.0.0/0')).toEqual({ family: 4, start: 0, end: 0xffffffff });
    expect(parseIpBlock('FE80::/10')).toEqual({ family: 6, start: 0xfe80n << 112n, end: (0xfe80n << 112n) | ((1n << 118n) - 1n) });
    expect(parseIpBlock('::ffff:1.2.3.4')).toEqual({ family: 6, start: 0xffff01020304n, end: 0xffff01020304n });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', '1.2.3.4/33', '1.2.3.4/08', '1.2.3.4/', 'a.b.c.d', '1::2::3', '12345::', ':::', 'fe80::1%eth0', '::/129', 'g::1', '1:2:3:4:5:6:7:8:9', 'example.com'])(
    'refuses %j',
    (text) => {
      expect(parseIpBlock(text)).toBeUndefined();
    },
  );

  it('agrees with @waggle/misp ipRange on every upstream CIDR entry and on tricky forms', () => {
    const { lists } = loadWarninglistsFromDir(sharedData('misp-warninglists'));
    const entries = lists.filter((l) => l.type === 'cidr').flatMap((l) => l.list);
    expect(entries.length).toBeGreaterThan(100_000);
    const tricky = ['::', '::1', '1::', '2001:db8::1.2.3.4', '2001:DB8:0:0:0:0:0:1/64', '1:2:3:4:5:6:7::', '::1.2.3.4/100', '0.0.0.0', '1.2.3.4/32', '1.2.3.4/0'];
    const mismatches = [...entries, ...tricky].filter((entry) => JSON.stringify(asHex(parseIpBlock(entry))) !== JSON.stringify(ipRange(entry)));
    expect(mismatches).toEqual([]);
  });
});
