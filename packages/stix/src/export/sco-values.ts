import { domainToASCII } from 'node:url';
import { ipObjectType } from '../mapping/parts.js';

// These checks mirror the STIX 2.1 JSON schemas, so an observable is only
// emitted when its value is valid there; other values fall back to a custom
// object that keeps them unchanged.

const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const URI_CHARS = /^[a-z][a-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/i;
const BAD_PERCENT = /%(?![0-9a-f]{2})/i;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
// Copied semantics of the schema's `not` rule: it rejects keys starting with HKLM and keys containing the other abbreviations.
const REGISTRY_ABBREVIATION = /^HKLM|HKCC|HKCR|HKCU|HKU|hklm|hkcc|hkcr|hkcu|hku/;

const HASH_FORMATS: Readonly<Record<string, RegExp>> = {
  MD5: /^[a-fA-F0-9]{32}$/,
  'SHA-1': /^[a-fA-F0-9]{40}$/,
  'SHA-256': /^[a-fA-F0-9]{64}$/,
  'SHA-512': /^[a-fA-F0-9]{128}$/,
  'SHA3-256': /^[a-fA-F0-9]{64}$/,
  'SHA3-512': /^[a-fA-F0-9]{128}$/,
  SSDEEP: /^[a-zA-Z0-9/+:.]{1,128}$/,
  TLSH: /^[a-zA-Z0-9]{70}$/,
};

/** A host name (internationalised names are checked in their punycode form). */
export function isHostname(value: string): boolean {
  const ascii = /^[\x20-\x7e]*$/.test(value) ? value : domainToASCII(value);
  return ascii !== '' && HOSTNAME.test(ascii);
}

/** An e-mail address as the JSON schema's `email` format accepts it. */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

/** An absolute URI (RFC 3986, ASCII only). */
export function isUri(value: string): boolean {
  if (!URI_CHARS.test(value) || BAD_PERCENT.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A hash value the schema accepts under `name`. */
export function isHashValue(name: string, value: string): boolean {
  const format = HASH_FORMATS[name];
  return format === undefined ? value !== '' : format.test(value);
}

/** Whether a string property of an observable may hold `value` (schema rules for the few constrained ones). */
export function isValidScoValue(type: string, property: string, value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  if (typeof value !== 'string') return false;
  switch (`${type}.${property}`) {
    case 'ipv4-addr.value':
      return ipObjectType(value) === 'ipv4-addr';
    case 'ipv6-addr.value':
      // The schema's IPv6 pattern is broken for embedded IPv4 forms (`::ffff:1.2.3.4`), so those stay custom.
      return ipObjectType(value) === 'ipv6-addr' && !value.includes('.');
    case 'domain-name.value':
      return isHostname(value);
    case 'url.value':
      return isUri(value);
    case 'email-addr.value':
      return isEmailAddress(value);
    case 'mac-addr.value':
      return MAC.test(value);
    case 'windows-registry-key.key':
      return !REGISTRY_ABBREVIATION.test(value);
    default:
      return true;
  }
}
