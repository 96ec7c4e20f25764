import { isIP, isIPv6 } from 'node:net';
import { refangCandidate } from './refang-candidate.js';
import { isTld } from './tlds.js';
import { looksLikeUrl, isSecurityVendorLink } from './url-candidate.js';

/** What one candidate token was recognised as, before MISP validation and defaults. */
export interface ResolvedIndicator {
  /** The type MISP would pick (its `default_type`). */
  readonly type: string;
  readonly value: string;
  /** "On port N" when a port was split off, as MISP writes it. */
  readonly comment?: string;
}

/** Options of the type detection. */
export interface ResolveOptions {
  /** https URLs on these domains (or their subdomains) become `link` instead of `url`. */
  readonly securityVendorDomains?: readonly string[];
}

/** MISP's fallback list when no warninglist is configured. */
export const DEFAULT_SECURITY_VENDOR_DOMAINS: readonly string[] = ['virustotal.com', 'hybrid-analysis.com'];

// Hex digests by length, in MISP's order of preference (the first one is its default type).
const HASH_BY_LENGTH: ReadonlyMap<number, { readonly single: string; readonly composite: string }> = new Map([
  [32, { single: 'md5', composite: 'filename|md5' }],
  [40, { single: 'sha1', composite: 'filename|sha1' }],
  [56, { single: 'sha224', composite: 'filename|sha224' }],
  [64, { single: 'sha256', composite: 'filename|sha256' }],
  [96, { single: 'sha384', composite: 'filename|sha384' }],
  [128, { single: 'sha512', composite: 'filename|sha512' }],
]);

const HEX = /^[0-9a-f]+$/i;
const SSDEEP = /^[0-9]+:[0-9a-zA-Z/+]+:[0-9a-zA-Z/+]+$/;
const CLOCK_TIME = /^[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}$/;
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const DOMAIN_SHAPE = /^(?:[-\p{L}\p{N}]+\.)+[\p{L}\p{N}-]+$/u;
const CVE = /^cve-[0-9]{4}-[0-9]{4,9}$/i;
const AS_NUMBER = /^as[0-9]{1,10}$/i;
// MISP's own pattern leaves the alternatives unanchored on one side each; anchored here.
const BTC = /^(?:[13][a-km-zA-HJ-NP-Z1-9]{25,34}|(?:bc|tb)1[02-9ac-hj-np-z]{11,71})$/i;
// Registry hives: MISP takes any token with a backslash as a registry key, which
// turns escaped text ("a\nb") into noise; waggle asks for a hive prefix.
const REGISTRY_HIVE = /^(?:HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU|HKCC)\\/i;
// Abbreviations such as "e.g", "i.e", "a.k.a", "U.S" pass MISP's filename rule.
const DOTTED_LETTERS = /^(?:\p{L}\.)+\p{L}$/u;

/**
 * Recognises one trimmed token the way MISP's `ComplexTypeTool::__resolveType`
 * does (hashes, composite filename|hash, ssdeep, e-mail, IP with port and CIDR,
 * domain/hostname by TLD, URL/link, filename, registry key, CVE, AS, bitcoin),
 * returning undefined when it is none of them.
 */
export function resolveIndicatorType(raw: string, options: ResolveOptions = {}): ResolvedIndicator | undefined {
  if (raw === '') return undefined;
  if (isIP(raw) !== 0) return { type: 'ip-dst', value: raw };
  const hash = checkHashes(raw);
  if (hash) return hash;

  const refanged = refangCandidate(raw);
  if (refanged.includes('@') && isEmail(refanged)) return { type: 'email-src', value: refanged };

  const portMatch = /:([0-9]{2,5})$/.exec(refanged);
  const port = portMatch?.[1];
  const noPort = portMatch ? refanged.slice(0, portMatch.index) : refanged;
  const comment = port === undefined ? undefined : `On port ${port}`;

  const ip = checkIp(refanged, noPort, port, comment);
  if (ip) return ip;
  const named = checkDomainOrFilename(raw, refanged, noPort, comment, options);
  if (named) return named;
  if (CVE.test(raw)) return { type: 'vulnerability', value: raw.toUpperCase() };
  if (AS_NUMBER.test(raw)) return { type: 'AS', value: raw.toUpperCase() };
  if (BTC.test(raw)) return { type: 'btc', value: raw };
  return undefined;
}

function withComment(type: string, value: string, comment: string | undefined): ResolvedIndicator {
  return comment === undefined ? { type, value } : { type, value, comment };
}

function checkHashes(raw: string): ResolvedIndicator | undefined {
  const bar = raw.indexOf('|');
  if (bar > 0 && bar === raw.lastIndexOf('|')) {
    const name = raw.slice(0, bar);
    const digest = raw.slice(bar + 1);
    if (isFilename(name)) {
      const kind = hashKind(digest);
      if (kind) return { type: kind.composite, value: raw };
      if (isSsdeep(digest)) return { type: 'filename|ssdeep', value: raw };
    }
  }
  const kind = hashKind(raw);
  if (kind) return { type: kind.single, value: raw };
  if (isSsdeep(raw)) return { type: 'ssdeep', value: raw };
  return undefined;
}

function hashKind(value: string): { readonly single: string; readonly composite: string } | undefined {
  const kind = HASH_BY_LENGTH.get(value.length);
  return kind && HEX.test(value) ? kind : undefined;
}

function isSsdeep(value: string): boolean {
  return SSDEEP.test(value) && !CLOCK_TIME.test(value);
}

function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at <= 64 && value.length <= 254 && EMAIL.test(value);
}

/** MISP's filename rule: a dot after the first character (or a drive letter) and an alphanumeric, non-numeric extension. */
export function isFilename(value: string): boolean {
  if (!(/^.:/su.test(value) || value.indexOf('.') > 0)) return false;
  const extension = value.slice(value.lastIndexOf('.') + 1);
  return /^[A-Za-z0-9]+$/.test(extension) && !/^[0-9]+(?:e[0-9]+)?$/i.test(extension);
}

function checkIp(refanged: string, noPort: string, port: string | undefined, comment: string | undefined): ResolvedIndicator | undefined {
  // A bare IPv6 address cannot carry a port (RFC 3986 wants brackets), so its
  // last group is never split off; MISP checks the port form first and would.
  if (isIPv6(refanged)) return { type: 'ip-dst', value: refanged };
  if (isIP(noPort) !== 0) {
    return port === undefined ? { type: 'ip-dst', value: noPort } : withComment('ip-dst|port', `${noPort}|${port}`, comment);
  }
  if (port !== undefined && noPort.startsWith('[') && noPort.endsWith(']') && isIPv6(noPort.slice(1, -1))) {
    return withComment('ip-dst|port', `${noPort.slice(1, -1)}|${port}`, comment);
  }
  const slash = noPort.indexOf('/');
  if (slash > 0 && slash === noPort.lastIndexOf('/')) {
    const family = isIP(noPort.slice(0, slash));
    const bits = noPort.slice(slash + 1);
    if (family !== 0 && /^[0-9]{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)) {
      return { type: 'ip-dst', value: noPort };
    }
  }
  return undefined;
}

function checkDomainOrFilename(
  raw: string,
  refanged: string,
  noPort: string,
  comment: string | undefined,
  options: ResolveOptions,
): ResolvedIndicator | undefined {
  if (noPort.includes('.')) {
    const labels = noPort.split('.');
    const last = labels[labels.length - 1] ?? '';
    if (DOMAIN_SHAPE.test(noPort) && isTld(last)) {
      return withComment(labels.length > 2 ? 'hostname' : 'domain', noPort, comment);
    }
    if (looksLikeUrl(refanged)) {
      const vendors = options.securityVendorDomains ?? DEFAULT_SECURITY_VENDOR_DOMAINS;
      if (isSecurityVendorLink(refanged, vendors)) return { type: 'link', value: refanged };
      if (refanged.includes('/')) return { type: 'url', value: refanged };
    }
    if (isFilename(raw) && !DOTTED_LETTERS.test(raw)) return { type: 'filename', value: raw };
  }
  if (raw.includes('\\')) {
    const parts = raw.split('\\');
    const base = parts[parts.length - 1] ?? '';
    if (base.includes('.') || /^.:/su.test(parts[0] ?? '')) {
      if (isFilename(base)) return { type: 'filename', value: raw };
    } else if (REGISTRY_HIVE.test(raw)) {
      return { type: 'regkey', value: raw };
    }
  }
  return undefined;
}
