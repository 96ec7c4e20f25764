import { InputError } from '@waggle/errors';

/** An IP address as its version and network-order bytes (4 or 16 of them). */
export interface ParsedIp {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

function bad(text: string, why: string): InputError {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return new InputError(`"${shown}" is not an IP address: ${why}`, { field: 'ip' });
}

/**
 * Reads a dotted-quad IPv4 address as an unsigned 32-bit number, or -1 when
 * `text` is not one. Octets are 0-255 without leading zeros (inet_aton reads
 * those as octal, so such an address would be ambiguous). A scanner, not a
 * regular expression: it runs once per value on the anonymisation hot path.
 */
export function parseIpv4Word(text: string): number {
  const len = text.length;
  if (len < 7 || len > 15) return -1;
  let word = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return -1;
      word = word * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return word * 256 + octet;
}

/** Parses dotted-quad IPv4 into `out` at `offset`; false when it is not one. */
function parseIpv4Into(text: string, out: Uint8Array, offset: number): boolean {
  const w = parseIpv4Word(text);
  if (w === -1) return false;
  out[offset] = w >>> 24;
  out[offset + 1] = (w >>> 16) & 0xff;
  out[offset + 2] = (w >>> 8) & 0xff;
  out[offset + 3] = w & 0xff;
  return true;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20; // ASCII lower case
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

// A hand-written scanner: this runs for every IPv6 value a policy touches, and
// split/regex versions were several times slower.
function parseIpv6(text: string): Uint8Array {
  if (text.includes('%')) throw bad(text, 'zone indexes (%…) are not accepted');
  const words = new Uint16Array(8);
  const len = text.length;
  let n = 0;
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  }
  while (i < len) {
    let j = i;
    let value = 0;
    for (let d = hexDigit(text.charCodeAt(j)); d !== -1 && j - i < 5; d = hexDigit(text.charCodeAt(j))) {
      value = value * 16 + d;
      j++;
    }
    if (text.charCodeAt(j) === 46 /* . */) {
      // An embedded dotted IPv4 (::ffff:192.0.2.1) fills the last 32 bits.
      const v4 = new Uint8Array(4);
      if (!parseIpv4Into(text.slice(i), v4, 0)) throw bad(text, `bad embedded IPv4 "${text.slice(i)}"`);
      if (n > 6) throw bad(text, 'wrong number of groups');
      words[n++] = ((v4[0] as number) << 8) | (v4[1] as number);
      words[n++] = ((v4[2] as number) << 8) | (v4[3] as number);
      break;
    }
    if (j === i || j - i > 4) throw bad(text, `bad group "${text.slice(i, text.indexOf(':', i) === -1 ? len : text.indexOf(':', i))}"`);
    if (n === 8) throw bad(text, 'wrong number of groups');
    words[n++] = value;
    if (j === len) break;
    if (text.charCodeAt(j) !== 58 /* : */) throw bad(text, `bad group "${text.slice(i, j + 1)}"`);
    if (text.charCodeAt(j + 1) === 58) {
      if (gap !== -1) throw bad(text, '"::" may appear only once');
      gap = n;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === len) throw bad(text, 'bad group ""');
    }
  }
  if (gap === -1 ? n !== 8 : n > 7) throw bad(text, 'wrong number of groups');
  const bytes = new Uint8Array(16);
  const shift = gap === -1 ? 0 : 8 - n;
  for (let k = 0; k < n; k++) {
    const at = (k < gap || gap === -1 ? k : k + shift) * 2;
    bytes[at] = (words[k] as number) >> 8;
    bytes[at + 1] = (words[k] as number) & 0xff;
  }
  return bytes;
}

/**
 * Parses an IPv4 (dotted quad) or IPv6 address (RFC 4291 text forms, including
 * `::` and an embedded IPv4 such as `::ffff:192.0.2.1`). Zone indexes, CIDR
 * suffixes and surrounding whitespace are refused.
 *
 * @throws InputError when `text` is not an address.
 */
export function parseIp(text: string): ParsedIp {
  if (typeof text !== 'string' || text === '') throw bad(String(text), 'empty');
  if (text.includes(':')) return { version: 6, bytes: parseIpv6(text) };
  const bytes = new Uint8Array(4);
  if (!parseIpv4Into(text, bytes, 0)) throw bad(text, 'expected four decimal octets 0-255 without leading zeros');
  return { version: 4, bytes };
}

/** 4, 6, or null when `text` is not an IP address. */
export function ipVersion(text: string): 4 | 6 | null {
  try {
    return parseIp(text).version;
  } catch {
    return null;
  }
}

function isMappedIpv4(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Formats address bytes: dotted quad for IPv4, RFC 5952 canonical text for
 * IPv6 (lower case, no leading zeros, the longest run of two or more zero
 * groups as `::`, the first on a tie; IPv4-mapped addresses as `::ffff:a.b.c.d`).
 *
 * @throws InputError when the byte count does not fit the version.
 */
export function formatIp(version: 4 | 6, bytes: Uint8Array): string {
  if (version === 4) {
    if (bytes.length !== 4) throw new InputError(`an IPv4 address has 4 bytes, got ${bytes.length}`, { field: 'ip' });
    return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  }
  if (bytes.length !== 16) throw new InputError(`an IPv6 address has 16 bytes, got ${bytes.length}`, { field: 'ip' });
  if (isMappedIpv4(bytes)) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const words = new Array<number>(8);
  for (let i = 0; i < 8; i++) words[i] = ((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number);
  let bestStart = -1;
  let bestLength = 1; // RFC 5952 4.2.2: a single zero group is not shortened.
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLength - 1;
      continue;
    }
    out += (words[i] as number).toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

function inV4(b: Uint8Array, o: number): boolean {
  const a = b[o] as number;
  const c = b[o + 1] as number;
  return (
    a === 10 || // RFC 1918
    (a === 172 && (c & 0xf0) === 16) || // RFC 1918 172.16/12
    (a === 192 && c === 168) || // RFC 1918
    a === 127 || // loopback
    (a === 169 && c === 254) || // link-local
    (a === 100 && (c & 0xc0) === 64) || // CGNAT 100.64/10 (RFC 6598)
    a === 0 // "this network", includes the unspecified 0.0.0.0
  );
}

/**
 * True for addresses that never identify anything outside the organisation:
 * RFC 1918, loopback, link-local, CGNAT 100.64/10, 0/8 and the unspecified
 * addresses, IPv6 ULA fc00::/7 and link-local fe80::/10, and IPv4-mapped
 * IPv6 forms of the IPv4 ranges. False for anything that is not an address.
 */
export function isInternalIp(ip: string): boolean {
  let parsed: ParsedIp;
  try {
    parsed = parseIp(ip);
  } catch {
    return false;
  }
  const b = parsed.bytes;
  if (parsed.version === 4) return inV4(b, 0);
  if (isMappedIpv4(b)) return inV4(b, 12);
  const first = b[0] as number;
  if ((first & 0xfe) === 0xfc) return true; // ULA
  if (first === 0xfe && ((b[1] as number) & 0xc0) === 0x80) return true; // link-local
  for (let i = 0; i < 15; i++) if (b[i] !== 0) return false;
  return b[15] === 0 || b[15] === 1; // :: and ::1
}
