import { splitCompositeValue } from '@waggle/misp';
import type { Comparison } from './comparison.js';
import { asNumber, endpoint, integer, ipAddress, text, type Part } from './parts.js';

/** How the value of one MISP attribute type is written as comparisons, and read back. */
export interface TypeSpec {
  readonly type: string;
  /** How many values the type holds (2 for composites such as `filename|md5`). */
  readonly parts: number;
  encode(value: string): Comparison[] | undefined;
  /** Takes the comparisons of this type out of `pool`; undefined (and the pool untouched) when they are not all there. */
  decode(pool: Comparison[]): string | undefined;
}

function single(type: string, part: Part): TypeSpec {
  return {
    type,
    parts: 1,
    encode: (value) => part.encode(value),
    decode(pool) {
      const m = part.match(pool, new Set());
      if (m === undefined) return undefined;
      remove(pool, m.used);
      return m.value;
    },
  };
}

function composite(type: string, first: Part, second: Part): TypeSpec {
  return {
    type,
    parts: 2,
    encode(value) {
      if (!value.includes('|')) return undefined;
      const { value1, value2 } = splitCompositeValue(type, value);
      const a = first.encode(value1);
      const b = second.encode(value2);
      return a === undefined || b === undefined ? undefined : [...a, ...b];
    },
    decode(pool) {
      const a = first.match(pool, new Set());
      if (a === undefined) return undefined;
      const b = second.match(pool, new Set(a.used));
      if (b === undefined) return undefined;
      remove(pool, [...a.used, ...b.used]);
      return `${a.value}|${b.value}`;
    },
  };
}

function remove(pool: Comparison[], used: readonly number[]): void {
  for (const i of [...used].sort((x, y) => y - x)) pool.splice(i, 1);
}

// MISP hash types → STIX hash names. The first eight are STIX 2.1's hash-algorithm-ov;
// the others are custom names (STIX allows any [a-zA-Z0-9_-]{3,250}).
const HASHES: readonly (readonly [string, string])[] = [
  ['md5', 'MD5'], ['sha1', 'SHA-1'], ['sha256', 'SHA-256'], ['sha512', 'SHA-512'], ['sha3-256', 'SHA3-256'], ['sha3-512', 'SHA3-512'],
  ['ssdeep', 'SSDEEP'], ['tlsh', 'TLSH'], ['sha224', 'SHA224'], ['sha384', 'SHA384'], ['sha512/224', 'SHA512-224'], ['sha512/256', 'SHA512-256'],
  ['sha3-224', 'SHA3-224'], ['sha3-384', 'SHA3-384'], ['imphash', 'IMPHASH'], ['authentihash', 'AUTHENTIHASH'], ['pehash', 'PEHASH'],
  ['impfuzzy', 'IMPFUZZY'], ['telfhash', 'TELFHASH'], ['vhash', 'VHASH'], ['cdhash', 'CDHASH'],
];

const fileName = text('file', ['name']);
const fileHash = (name: string): Part => text('file', ['hashes', name]);

/**
 * Every MISP type with a STIX pattern/observable form. Where several MISP
 * types share one STIX form (ip-src/ip-dst, domain/hostname, url/uri/link),
 * the first listed is what a bundle without `misp:type` labels imports as.
 */
export const TYPE_SPECS: readonly TypeSpec[] = [
  single('ip-dst', ipAddress()),
  single('ip-src', ipAddress()),
  composite('ip-dst|port', endpoint('dst', false), integer('network-traffic', ['dst_port'])),
  composite('ip-src|port', endpoint('src', false), integer('network-traffic', ['src_port'])),
  composite('hostname|port', endpoint('dst', true), integer('network-traffic', ['dst_port'])),
  single('domain', text('domain-name', ['value'])),
  single('hostname', text('domain-name', ['value'])),
  composite('domain|ip', text('domain-name', ['value']), text('domain-name', ['resolves_to_refs', '[*]', 'value'])),
  single('url', text('url', ['value'])),
  single('uri', text('url', ['value'])),
  single('link', text('url', ['value'])),
  single('email', text('email-addr', ['value'])),
  single('email-src', text('email-message', ['from_ref', 'value'])),
  single('email-dst', text('email-message', ['to_refs', '[*]', 'value'])),
  single('email-src-display-name', text('email-message', ['from_ref', 'display_name'])),
  single('email-dst-display-name', text('email-message', ['to_refs', '[*]', 'display_name'])),
  single('email-subject', text('email-message', ['subject'])),
  single('email-message-id', text('email-message', ['message_id'])),
  single('email-reply-to', text('email-message', ['additional_header_fields', 'Reply-To'])),
  single('email-x-mailer', text('email-message', ['additional_header_fields', 'X-Mailer'])),
  single('email-body', text('email-message', ['body'])),
  single('filename', fileName),
  single('attachment', fileName),
  single('size-in-bytes', integer('file', ['size'])),
  single('mime-type', text('file', ['mime_type'])),
  ...HASHES.map(([type, name]) => single(type, fileHash(name))),
  ...HASHES.map(([type, name]) => composite(`filename|${type}`, fileName, fileHash(name))),
  composite('malware-sample', fileName, fileHash('MD5')),
  single('mac-address', text('mac-addr', ['value'])),
  single('AS', integer('autonomous-system', ['number'], asNumber)),
  single('mutex', text('mutex', ['name'])),
  single('regkey', text('windows-registry-key', ['key'])),
  composite('regkey|value', text('windows-registry-key', ['key']), text('windows-registry-key', ['values', '[*]', 'data'])),
  single('user-agent', text('network-traffic', ['extensions', 'http-request-ext', 'request_header', 'User-Agent'])),
  single('http-method', text('network-traffic', ['extensions', 'http-request-ext', 'request_method'])),
  single('x509-fingerprint-md5', text('x509-certificate', ['hashes', 'MD5'])),
  single('x509-fingerprint-sha1', text('x509-certificate', ['hashes', 'SHA-1'])),
  single('x509-fingerprint-sha256', text('x509-certificate', ['hashes', 'SHA-256'])),
  single('port', integer('network-traffic', ['dst_port'])),
  single('cpe', text('software', ['cpe'])),
];

const BY_TYPE: ReadonlyMap<string, TypeSpec> = new Map(TYPE_SPECS.map((s) => [s.type, s]));

/** The spec of a MISP type; undefined when the type has no STIX pattern form. */
export function typeSpec(type: string): TypeSpec | undefined {
  return BY_TYPE.get(type);
}

// Composites first, so `file:name` + `file:hashes.MD5` reads as filename|md5, not two attributes.
const INFERENCE_ORDER: readonly TypeSpec[] = [...TYPE_SPECS].sort((a, b) => b.parts - a.parts);

/** Specs in the order a pattern without `misp:type` is read: composites first, then table order. */
export function inferenceOrder(): readonly TypeSpec[] {
  return INFERENCE_ORDER;
}
