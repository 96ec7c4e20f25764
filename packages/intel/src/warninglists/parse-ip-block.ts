/** An IP address or CIDR block as its first and last address: numbers for IPv4, bigints for IPv6. */
export type IpBlock =
  | { readonly family: 4; readonly start: number; readonly end: number }
  | { readonly family: 6; readonly start: bigint; readonly end: bigint };

/**
 * Parses `address` or `address/prefix` into its range, host bits ignored.
 * The same syntax as `ipRange` of @waggle/misp (no leading zeros in IPv4
 * octets or the prefix, no zone ids; IPv6 with `::` and a dotted IPv4 tail),
 * written without regexes or hex strings because warninglists hold ~140k
 * blocks and values are checked millions of times; a test holds the two
 * parsers to the same answers over every upstream entry.
 */
export function parseIpBlock(text: string): IpBlock | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  let prefix = -1;
  if (slash !== -1) {
    prefix = parseDecimal(text, slash + 1, text.length, 128);
    if (prefix < 0) return undefined;
  }
  if (address.indexOf(':') === -1) {
    const value = parseIpv4(address, 0, address.length);
    if (value < 0 || prefix > 32) return undefined;
    const bits = prefix === -1 ? 32 : prefix;
    const size = 2 ** (32 - bits);
    const start = value - (value % size);
    return { family: 4, start, end: start + size - 1 };
  }
  const words = parseIpv6(address);
  if (words === undefined) return undefined;
  let value = 0n;
  for (const word of words) value = (value << 16n) | BigInt(word);
  const bits = BigInt(prefix === -1 ? 128 : prefix);
  const hostMask = (1n << (128n - bits)) - 1n;
  const start = value & ~hostMask;
  return { family: 6, start, end: start | hostMask };
}

/** A decimal without leading zeros in [from, to), at most `max`; -1 if not. */
function parseDecimal(text: string, from: number, to: number, max: number): number {
  if (to <= from || to - from > 3 || (to - from > 1 && text.charCodeAt(from) === 48)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > max ? -1 : value;
}

/** Dotted-quad IPv4 in [from, to) as an unsigned number; -1 if not. */
function parseIpv4(text: string, from: number, to: number): number {
  let value = 0;
  let start = from;
  for (let part = 0; part < 4; part++) {
    let end = text.indexOf('.', start);
    if (part === 3) end = end === -1 || end >= to ? to : -1;
    if (end === -1 || end > to) return -1;
    const octet = parseDecimal(text, start, end, 255);
    if (octet < 0) return -1;
    value = value * 256 + octet;
    start = end + 1;
  }
  return value;
}

function parseIpv6(text: string): number[] | undefined {
  const double = text.indexOf('::');
  if (double !== -1 && text.indexOf('::', double + 1) !== -1) return undefined;
  const head = double === -1 ? text : text.slice(0, double);
  const tail = double === -1 ? '' : text.slice(double + 2);
  const headWords = parseGroups(head, double === -1 || tail === '');
  const tailWords = double === -1 ? [] : parseGroups(tail, true);
  if (headWords === undefined || tailWords === undefined) return undefined;
  const missing = 8 - headWords.length - tailWords.length;
  if (double === -1 ? missing !== 0 : missing < 1) return undefined;
  return [...headWords, ...new Array<number>(double === -1 ? 0 : missing).fill(0), ...tailWords];
}

/** Colon-separated hex groups; the last may be a dotted IPv4 (two words) when `mayEndWithIpv4`. */
function parseGroups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const words: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as string;
    if (g === groups.length - 1 && mayEndWithIpv4 && group.indexOf('.') !== -1) {
      const v4 = parseIpv4(group, 0, group.length);
      if (v4 < 0) return undefined;
      words.push(Math.floor(v4 / 65536), v4 % 65536);
      continue;
    }
    if (group.length === 0 || group.length > 4) return undefined;
    let word = 0;
    for (let i = 0; i < group.length; i++) {
      const code = group.charCodeAt(i);
      const digit = code <= 57 ? code - 48 : (code | 32) - 87;
      if (digit < 0 || digit > 15 || (code > 57 && (code | 32) < 97)) return undefined;
      word = word * 16 + digit;
    }
    words.push(word);
  }
  return words;
}
