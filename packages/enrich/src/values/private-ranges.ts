import { BlockList } from 'node:net';
import type { IpAddress } from './ip-address.js';

const V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4'];
const V6 = ['::/128', '::1/128', '64:ff9b:1::/48', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'ff00::/8'];

/** Special-purpose ranges (RFC 6890 and friends): private, loopback, link-local, CGNAT, documentation, multicast. */
function specialRanges(): BlockList {
  const list = new BlockList();
  for (const cidr of V4) {
    const [net, prefix] = cidr.split('/') as [string, string];
    list.addSubnet(net, Number(prefix), 'ipv4');
  }
  for (const cidr of V6) {
    const [net, prefix] = cidr.split('/') as [string, string];
    list.addSubnet(net, Number(prefix), 'ipv6');
  }
  return list;
}

let ranges: BlockList | undefined;

/** Whether an address is in a private or otherwise non-public range (no public PTR, no ASN). */
export function isNonPublic(ip: IpAddress): boolean {
  ranges ??= specialRanges();
  return ranges.check(ip.text, ip.family === 4 ? 'ipv4' : 'ipv6');
}
