import { domainToASCII } from 'node:url';
import { formatIpAddress, parseIpAddress, parseIpNetwork } from './ip-address.js';
import { accept, canonicalDigits, isDigits, reject, type ValueRule } from './value-check.js';

/**
 * `ip-src`/`ip-dst`: an address or CIDR block. IPv6 is compressed and
 * lowercased; a full-length prefix (`/32`, `/128`) is dropped as MISP does;
 * other prefixes are kept with their host bits, as MISP keeps them.
 */
export const ipOrCidr: ValueRule = (value) => {
  const network = parseIpNetwork(value);
  if (!network) {
    return value.includes('/') ? reject('Invalid IP address or CIDR notation.') : reject('IP address has an invalid format.');
  }
  const width = network.address.family === 4 ? 32 : 128;
  const address = formatIpAddress(network.address);
  return accept(network.prefix === width ? address : `${address}/${network.prefix}`);
};

/** A single IP address (no prefix), in canonical form. */
export const ipAddress: ValueRule = (value) => {
  const address = parseIpAddress(value);
  return address ? accept(formatIpAddress(address)) : reject('IP address has an invalid format.');
};

/** A TCP/UDP port 1-65535 (MISP refuses 0), without leading zeros. */
export const port: ValueRule = (value) => {
  if (!isDigits(value)) return reject('Port numbers have to be integers between 1 and 65535.');
  const digits = canonicalDigits(value);
  return digits.length <= 5 && Number(digits) >= 1 && Number(digits) <= 65535
    ? accept(digits)
    : reject('Port numbers have to be integers between 1 and 65535.');
};

/**
 * Rewrites the separators MISP understands for `ip|port` values into `|`:
 * `1.2.3.4:80`, `[2001:db8::1]:80`, `2001:db8::1.80`, `2001:db8::1 port 80`,
 * `2001:db8::1p80`, `2001:db8::1#80` and the ambiguous `2001:db8::1:80`
 * (last group taken as the port). Anything else is returned unchanged.
 */
export function joinIpPort(value: string): string {
  const colons = value.split(':').length - 1;
  if (colons >= 2) {
    if (value.indexOf('|') > 0) return value;
    if (value.startsWith('[')) {
      const close = value.indexOf(']');
      const rest = value.slice(close + 1);
      return close > 0 && rest.startsWith(':') ? `${value.slice(1, close)}|${rest.slice(1)}` : value;
    }
    const dot = value.lastIndexOf('.');
    if (dot > 0) return `${value.slice(0, dot)}|${value.slice(dot + 1)}`;
    for (const separator of [' port ', 'p', '#']) {
      const at = value.indexOf(separator);
      if (at > 0) return `${value.slice(0, at)}|${value.slice(at + separator.length)}`;
    }
    const last = value.lastIndexOf(':');
    return `${value.slice(0, last)}|${value.slice(last + 1)}`;
  }
  const colon = value.indexOf(':');
  return colon > 0 ? `${value.slice(0, colon)}|${value.slice(colon + 1)}` : value;
}

// MISP's own test (letters, digits, `.`, `-`, `_`, and a last label of two or
// more letters, digits or hyphens), plus the DNS limits MISP skips: no empty
// labels, labels of at most 63 octets, names of at most 253.
const MISP_DOMAIN = /^[a-z0-9._-]+\.[a-z0-9-]{2,}$/;

function isDomainName(value: string): boolean {
  return value.length <= 253 && MISP_DOMAIN.test(value) && value.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/**
 * `domain`/`hostname`: lowercased, surrounding dots dropped, internationalised
 * names converted to punycode (`münchen.de` becomes `xn--mnchen-3ya.de`).
 */
export const domainName: ValueRule = (value) => {
  let name = value.toLowerCase().replace(/^\.+|\.+$/g, '');
  // Only names with non-ASCII letters go through IDNA: the WHATWG host parser
  // behind domainToASCII would also turn `example.com/path` into a valid name.
  if (!isDomainName(name) && /^[a-z0-9._\-\u0080-\u{10ffff}]+$/u.test(name) && /[\u0080-\u{10ffff}]/u.test(name)) {
    const ascii = domainToASCII(name).replace(/^\.+|\.+$/g, '');
    if (ascii !== '') name = ascii;
  }
  return isDomainName(name) ? accept(name) : reject('Domain name has an invalid format.');
};

/** Email-like values, tested as leniently as MISP does (partial addresses are common in feeds). */
export function emailAddress(lowercase: boolean): ValueRule {
  return (value) => {
    if (!/^.[^\s]*@.*\..*$/.test(value)) return reject('Email address has an invalid format.');
    return accept(lowercase ? value.toLowerCase() : value);
  };
}

/** MAC address (`groups` = 6) or EUI-64 (`groups` = 8) in any common notation, normalised to `aa:bb:...`. */
export function macAddress(groups: number): ValueRule {
  return (value) => {
    const hex = value.toLowerCase().replace(/[.:\- ]/g, '');
    if (hex.length !== groups * 2 || !/^[0-9a-f]+$/.test(hex)) {
      return reject(`MAC address has an invalid format (expected: ${groups} hexadecimal octets).`);
    }
    return accept(hex.replace(/(..)(?!$)/g, '$1:'));
  };
}

const HOST_OPTIONAL_SCHEMES = new Set(['mailto', 'news', 'file']);

/**
 * `link`: an absolute URL, `scheme://authority...` (or a `mailto:`, `news:`,
 * `file:` URL), as PHP's FILTER_VALIDATE_URL wants it. Kept as given.
 */
export const link: ValueRule = (value) => {
  const match = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?/i.exec(value);
  if (!match || /[\s\p{Cc}]/u.test(value) || !URL.canParse(value)) return reject('Link has to be an absolute URL.');
  const scheme = (match[1] ?? '').toLowerCase();
  const authority = match[2] ?? '';
  return authority !== '' || HOST_OPTIONAL_SCHEMES.has(scheme) ? accept(value) : reject('Link has to be an absolute URL.');
};

/** Tor onion service address: 16 (v2) or 56 (v3) base32 characters + `.onion`, lowercased. */
export const onionAddress: ValueRule = (value) => {
  const lower = value.toLowerCase();
  return /^([a-z2-7]{16}|[a-z2-7]{56})\.onion$/.test(lower) ? accept(lower) : reject('Onion address has an invalid format.');
};

