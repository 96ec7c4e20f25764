// Types whose values MISP lowercases before storing them
// (AttributeValidationTool::modifyBeforeValidation), so warninglists only ever
// see them in lower case.
const LOWERCASED = new Set([
  'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512/224', 'sha512/256', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512',
  'ja3-fingerprint-md5', 'jarm-fingerprint', 'hassh-md5', 'hasshserver-md5', 'hostname', 'pehash', 'authentihash', 'vhash', 'imphash',
  'telfhash', 'tlsh', 'anonymised', 'cdhash', 'email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email', 'dom-hash',
  'onion-address', 'domain|ip', 'hostname|port', 'x509-fingerprint-md5', 'x509-fingerprint-sha1', 'x509-fingerprint-sha256',
]);

/**
 * The value as MISP would have stored it, for the case and dot rules that
 * decide warninglist hits: lowercased for the types above, `domain` also
 * trimmed of dots, `filename|<hash>` with only the hash lowercased. Values
 * already stored by waggle come out unchanged.
 */
export function normaliseForWarninglists(type: string, value: string): string {
  if (LOWERCASED.has(type)) return value.toLowerCase();
  if (type === 'domain') return trimDots(value.toLowerCase());
  if (type.startsWith('filename|') && type !== 'filename|ssdeep') {
    const bar = value.indexOf('|');
    return bar === -1 ? value : value.slice(0, bar) + value.slice(bar).toLowerCase();
  }
  return value;
}

/** Drops leading and trailing dots (PHP `trim($v, '.')`). */
export function trimDots(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 46) start++;
  while (end > start && text.charCodeAt(end - 1) === 46) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The host a hostname list checks, following MISP's Warninglist::__evalHostname:
 * the text before the first `/`, or after `scheme://` for URLs; trailing dots
 * dropped. Beyond MISP, the host is lowercased (DNS names are
 * case-insensitive, and `url` values keep their case in MISP) and a
 * `user@` prefix and `:port` suffix are removed, so `http://Example.COM:8080/`
 * is checked as `example.com`.
 */
export function hostOf(value: string): string {
  const scheme = value.indexOf('//');
  let host: string;
  if (scheme === -1) {
    const slash = value.indexOf('/');
    host = slash === -1 ? value : value.slice(0, slash);
  } else {
    const slash = value.indexOf('/', scheme + 2);
    host = slash === -1 ? value.slice(scheme + 2) : value.slice(scheme + 2, slash);
  }
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  const colon = host.indexOf(':');
  if (colon !== -1 && colon === host.lastIndexOf(':')) host = host.slice(0, colon);
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  return (end === host.length ? host : host.slice(0, end)).toLowerCase();
}
