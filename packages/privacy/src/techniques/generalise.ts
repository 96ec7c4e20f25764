import { InputError } from '@waggle/errors';
import { formatIp, parseIp } from './ip.js';
import { isoUtc, parseTimestamp } from './timestamp.js';

/** Options of {@link truncateIp}. */
export interface TruncateIpOptions {
  /** Append `/prefix` to the network address. */
  readonly cidr?: boolean | undefined;
}

/**
 * Generalises an address to its network: the first `prefix` bits are kept and
 * the rest zeroed (`192.0.2.77`, 24 → `192.0.2.0`, or `192.0.2.0/24` with
 * `cidr`). IPv4 prefixes are 0..32, IPv6 0..128; IPv6 comes out in RFC 5952 form.
 *
 * @throws InputError on a bad address or prefix.
 */
export function truncateIp(ip: string, prefix: number, options: TruncateIpOptions = {}): string {
  const { version, bytes } = parseIp(ip);
  const bits = version === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new InputError(`an IPv${version} prefix length is 0 to ${bits}, got ${String(prefix)}`, { field: 'prefix' });
  }
  const whole = prefix >> 3;
  if (whole < bytes.length) {
    bytes[whole] = (bytes[whole] as number) & ((0xff00 >> (prefix & 7)) & 0xff);
    bytes.fill(0, whole + 1);
  }
  const text = formatIp(version, bytes);
  return options.cidr === true ? `${text}/${prefix}` : text;
}

/** {@link truncateIp} with a prefix per version, e.g. /24 for IPv4 and /48 for IPv6. */
export function truncateIpByVersion(ip: string, v4Prefix: number, v6Prefix: number, options: TruncateIpOptions = {}): string {
  return truncateIp(ip, ip.includes(':') ? v6Prefix : v4Prefix, options);
}

/** Units {@link generaliseTimestamp} rounds down to. */
export type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Rounds a timestamp down to the start of its minute, hour, day, ISO week
 * (Monday 00:00 UTC) or month, as ISO 8601 UTC text without fractions
 * (`2024-05-06T00:00:00Z`). Accepts MISP epoch seconds (number or digit
 * string), ISO 8601 text and Dates.
 *
 * @throws InputError on an unreadable timestamp or unknown unit.
 */
export function generaliseTimestamp(value: string | number | Date, unit: TimeUnit): string {
  const { ms } = parseTimestamp(value);
  switch (unit) {
    case 'minute':
    case 'hour':
    case 'day':
      return isoUtc(Math.floor(ms / UNIT_MS[unit]) * UNIT_MS[unit], false);
    case 'week': {
      const day = Math.floor(ms / UNIT_MS.day);
      // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
      const sinceMonday = (((day + 3) % 7) + 7) % 7;
      return isoUtc((day - sinceMonday) * UNIT_MS.day, false);
    }
    case 'month': {
      const d = new Date(ms);
      return isoUtc(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), false);
    }
    default:
      throw new InputError(`unknown time unit "${String(unit)}"; use minute, hour, day, week or month`, { field: 'unit' });
  }
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The host of a URL, lower case, without user, port or trailing dot. Works on
 * MISP's scheme-less values (`evil.com/a`) and defanged `hxxp://` ones; an IPv6
 * literal comes back without brackets.
 *
 * @throws InputError when no host can be found.
 */
export function urlToDomain(url: string): string {
  if (typeof url !== 'string') throw new InputError('a URL must be a string', { field: 'url' });
  let rest = url.trim().replace(SCHEME, '');
  if (rest.startsWith('//')) rest = rest.slice(2);
  const end = rest.search(/[/?#\\]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  let host: string;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) throw new InputError(`"${url.slice(0, 80)}" has an unclosed IPv6 literal`, { field: 'url' });
    host = authority.slice(1, close);
  } else {
    const colon = authority.indexOf(':');
    host = colon === -1 ? authority : authority.slice(0, colon);
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (host === '' || /\s/.test(host)) throw new InputError(`"${url.slice(0, 80)}" has no host`, { field: 'url' });
  return host;
}

/**
 * The domain of an e-mail address (after the last `@`), lower case.
 *
 * @throws InputError when there is no `@` or nothing after it.
 */
export function emailToDomain(email: string): string {
  if (typeof email !== 'string') throw new InputError('an e-mail address must be a string', { field: 'email' });
  const text = email.trim();
  const at = text.lastIndexOf('@');
  const domain = at === -1 ? '' : text.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (at <= 0 || domain === '' || /[\s@]/.test(domain)) throw new InputError(`"${email.slice(0, 80)}" is not an e-mail address`, { field: 'email' });
  return domain;
}

function parsePort(port: number | string): number {
  const n = typeof port === 'number' ? port : /^\s*\d{1,5}\s*$/.test(port) ? Number(port) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InputError(`"${String(port)}" is not a port number (0-65535)`, { field: 'port' });
  return n;
}

/**
 * The block of `width` ports holding `port`, as `start-end` (width 1024:
 * 1080 → `1024-2047`); the last block ends at 65535.
 *
 * @throws InputError on a bad port or a width outside 1..65536.
 */
export function portToRange(port: number | string, width: number): string {
  const p = parsePort(port);
  if (!Number.isInteger(width) || width < 1 || width > 65_536) throw new InputError(`the range width must be 1 to 65536, got ${String(width)}`, { field: 'width' });
  const start = Math.floor(p / width) * width;
  return `${start}-${Math.min(start + width - 1, 65_535)}`;
}

/** The IANA class of a port (RFC 6335): 0-1023 well-known, 1024-49151 registered, 49152-65535 dynamic. */
export function portClass(port: number | string): 'well-known' | 'registered' | 'dynamic' {
  const p = parsePort(port);
  return p < 1024 ? 'well-known' : p < 49_152 ? 'registered' : 'dynamic';
}
