/** A parsed IP address: 4 bytes for IPv4, 16 bytes for IPv6, network order. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
}

/** An IP address with a prefix length (a CIDR block); a plain address has the full prefix. */
export interface IpNetwork {
  readonly address: IpAddress;
  readonly prefix: number;
  /** Whether the text carried an explicit `/prefix`. */
  readonly hasPrefix: boolean;
}

/**
 * Parses dotted-quad IPv4. Like PHP's FILTER_VALIDATE_IP (which MISP uses),
 * octets with leading zeros are refused: `010.0.0.1` is octal to some tools
 * and decimal to others, so guessing would create a wrong indicator.
 */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const byte = Number(part);
    if (byte > 255) return undefined;
    bytes.push(byte);
  }
  return bytes;
}

/** Parses IPv6 text (RFC 4291 forms, including a trailing dotted IPv4 part); zone ids are refused. */
export function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  let hexText = text;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    hexText = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = hexText.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    groups.push(parseInt(group, 16));
  }
  return groups;
}

/** Parses an IPv4 or IPv6 address (no prefix). */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

/**
 * Parses `address` or `address/prefix`. The prefix must be decimal digits no
 * larger than the family's width; host bits may be set (MISP keeps them).
 */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const width = address.family === 4 ? 32 : 128;
  if (slash === -1) return { address, prefix: width, hasPrefix: false };
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= width ? { address, prefix, hasPrefix: true } : undefined;
}

/**
 * Canonical text of an address: IPv4 dotted decimal; IPv6 lowercase and
 * compressed per RFC 5952 (longest zero run, first on a tie, never a single
 * group), with the dotted tail that inet_ntop (and therefore MISP) prints for
 * IPv4-mapped `::ffff:a.b.c.d` and IPv4-compatible `::a.b.c.d` addresses.
 */
export function formatIpAddress(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return b.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j += 1;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  const embedsIpv4 = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
  if (embedsIpv4) {
    const prefix = bestLength === 6 ? '::' : '::ffff:';
    return `${prefix}${b.slice(12).join('.')}`;
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
