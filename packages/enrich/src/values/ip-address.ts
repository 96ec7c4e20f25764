import { isIPv4, isIPv6 } from 'node:net';
import { InputError } from '@waggle/errors';

/** A parsed IP address: IPv4 as a 32-bit number, IPv6 as a 128-bit bigint. */
export type IpAddress = { readonly family: 4; readonly value: number; readonly text: string } | { readonly family: 6; readonly value: bigint; readonly text: string };

/** Parses dotted IPv4 to an unsigned 32-bit number (no validation: call on `isIPv4` text). */
function ipv4Number(text: string): number {
  const p = text.split('.');
  return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
}

/** Parses IPv6 (with `::` and an embedded IPv4 tail) to a 128-bit bigint; call on `isIPv6` text. */
function ipv6Number(text: string): bigint {
  let body = text.split('%')[0] as string;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4 !== null) {
    const n = ipv4Number(v4[1] as string);
    body = `${body.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = body.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  return value;
}

/** The address in `text`, or undefined when it is not an IPv4/IPv6 address. */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (isIPv4(t)) return { family: 4, value: ipv4Number(t), text: t };
  if (isIPv6(t)) {
    const value = ipv6Number(t);
    // IPv4-mapped IPv6 (::ffff:a.b.c.d) is looked up as the IPv4 address it carries.
    if (value >> 32n === 0xffffn) {
      const n = Number(value & 0xffffffffn);
      return { family: 4, value: n, text: ipv4Text(n) };
    }
    return { family: 6, value, text: t };
  }
  return undefined;
}

/** Dotted text of a 32-bit number. */
export function ipv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Canonical (RFC 5952) text of a 128-bit number. */
export function ipv6Text(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const IP_TYPES = new Set(['ip-src', 'ip-dst', 'ip']);
const IP_PORT_TYPES = new Set(['ip-src|port', 'ip-dst|port']);

/** MISP attribute types that carry an IP address `ipOf` can read. */
export const IP_ATTRIBUTE_TYPES: readonly string[] = ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'];

/**
 * The IP address an attribute carries (`ip-src`, `ip-dst`, `ip-src|port`,
 * `ip-dst|port`, `domain|ip`).
 * @throws InputError when the type carries no IP or the value is not one.
 */
export function ipOf(type: string, value: string): IpAddress {
  let text: string;
  if (IP_TYPES.has(type)) text = value;
  else if (IP_PORT_TYPES.has(type)) text = value.slice(0, value.lastIndexOf('|') < 0 ? value.length : value.lastIndexOf('|'));
  else if (type === 'domain|ip') text = value.slice(value.indexOf('|') + 1);
  else throw new InputError(`attribute type "${type}" carries no IP address`, { field: 'type' });
  const ip = parseIp(text);
  if (ip === undefined) throw new InputError(`"${value}" is not a valid ${type} value (${text.includes('/') ? 'a single address is needed, not a network' : 'no IPv4/IPv6 address'})`, { field: 'value' });
  return ip;
}

/**
 * The CIDR blocks that exactly cover the inclusive range [start, end]
 * (a database row is a range, MISP's `subnet-announced` wants blocks), at
 * most `limit` of them, widest-aligned first.
 */
export function rangeToCidrs(family: 4 | 6, start: bigint, end: bigint, limit = 8): string[] {
  const bits = family === 4 ? 32 : 128;
  const out: string[] = [];
  let cur = start;
  while (cur <= end && out.length < limit) {
    let size = 0;
    while (size < bits && ((cur >> BigInt(size)) & 1n) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= end) size++;
    const text = family === 4 ? ipv4Text(Number(cur)) : ipv6Text(cur);
    out.push(`${text}/${bits - size}`);
    cur += 1n << BigInt(size);
  }
  return out;
}
