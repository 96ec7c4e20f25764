import { parseIpNetwork } from '../types/ip-address.js';

/** First and last address of an IP or CIDR block as fixed-width lowercase hex. */
export interface IpRange {
  readonly family: 4 | 6;
  /** 8 hex digits for IPv4, 32 for IPv6: lexical order equals numeric order. */
  readonly start: string;
  readonly end: string;
}

/**
 * The address range an `ip-src`/`ip-dst` value covers, for CIDR containment
 * correlation: a plain address is a range of one; `10.1.2.3/8` covers
 * 10.0.0.0-10.255.255.255 (host bits ignored). IPv6 text, IPv4-mapped
 * `::ffff:a.b.c.d` included, is always family 6. Undefined if not an IP.
 */
export function ipRange(value: string): IpRange | undefined {
  const network = parseIpNetwork(value.trim());
  if (!network) return undefined;
  let start = '';
  let end = '';
  network.address.bytes.forEach((byte, index) => {
    const networkBits = Math.min(8, Math.max(0, network.prefix - index * 8));
    const mask = (0xff << (8 - networkBits)) & 0xff;
    start += hexByte(byte & mask);
    end += hexByte(byte | (~mask & 0xff));
  });
  return { family: network.address.family, start, end };
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

const IP_FIRST = new Set(['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port']);

/** The attribute types that carry an IP address or block (`domain|ip` in its value2). */
export const IP_TYPES: readonly string[] = [...IP_FIRST, 'domain|ip'];

/** Whether attributes of `type` carry an IP address (`domain|ip` in its value2). */
export function isIpType(type: string): boolean {
  return IP_FIRST.has(type) || type === 'domain|ip';
}

/** The IP (or CIDR) half of an IP-bearing attribute, or undefined for other types. */
export function ipCorrelationValue(type: string, value1: string, value2: string): string | undefined {
  if (IP_FIRST.has(type)) return value1;
  return type === 'domain|ip' ? value2 : undefined;
}
