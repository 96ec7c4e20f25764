/** The TAXII 2.1 media type; every TAXII resource (including envelopes of STIX objects) uses it. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** The STIX 2.1 media type, as listed in a collection's `media_types` and in manifest records. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

const TAXII_ESSENCE = 'application/taxii+json';

/** A parsed media type (`type/subtype;name=value`), names lower-cased. */
export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses one media type or media range; undefined when it is not well formed. */
export function parseMediaType(text: string): MediaType | undefined {
  const [essence, ...rawParams] = text.split(';');
  const [type, subtype, ...rest] = (essence ?? '').trim().toLowerCase().split('/');
  if (type === undefined || subtype === undefined || rest.length > 0 || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params: Record<string, string> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq === -1) return undefined;
    const name = raw.slice(0, eq).trim().toLowerCase();
    let value = raw.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!TOKEN.test(name) || value === '') return undefined;
    params[name] = value;
  }
  return { type, subtype, params };
}

/** True when the version parameter is absent (meaning "the latest", which is 2.1) or 2.1. */
function isVersion21(params: Readonly<Record<string, string>>): boolean {
  return params.version === undefined || params.version === '2.1';
}

/**
 * True when a request's Accept header admits a TAXII 2.1 answer. A missing header
 * accepts anything (RFC 9110). The most specific matching range decides, so
 * `application/taxii+json;q=0, *\/*` refuses TAXII; a range naming another TAXII
 * version (`version=2.0`) does not match at all.
 */
export function acceptsTaxii(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  let best: { specificity: number; q: number } | undefined;
  for (const part of header.split(',')) {
    if (part.trim() === '') continue;
    const range = parseMediaType(part);
    if (range === undefined) continue;
    const specificity = matchSpecificity(range);
    if (specificity === undefined) continue;
    const q = qualityOf(range.params.q);
    if (best === undefined || specificity > best.specificity || (specificity === best.specificity && q > best.q)) best = { specificity, q };
  }
  return best !== undefined && best.q > 0;
}

function matchSpecificity(range: MediaType): number | undefined {
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== 'application') return undefined;
  if (range.subtype === '*') return 1;
  if (range.subtype !== 'taxii+json') return undefined;
  if (range.params.version === undefined) return 2;
  return range.params.version === '2.1' ? 3 : undefined;
}

function qualityOf(q: string | undefined): number {
  if (q === undefined) return 1;
  // RFC 9110 qvalue: 0, 1, or up to three decimals; anything else is treated as "not acceptable".
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q)) return 0;
  return Number(q);
}

/** True when a Content-Type header names TAXII 2.1 (`application/taxii+json`, version absent or 2.1). */
export function isTaxiiContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const mt = parseMediaType(header);
  return mt !== undefined && `${mt.type}/${mt.subtype}` === TAXII_ESSENCE && isVersion21(mt.params);
}

/** The STIX media type for an object's `spec_version` (2.1 when absent). */
export function stixMediaTypeFor(specVersion: string | undefined): string {
  return `application/stix+json;version=${specVersion ?? '2.1'}`;
}

/** True when two media-type strings denote the same type and parameters (case and spaces ignored). */
export function sameMediaType(a: string, b: string): boolean {
  const x = parseMediaType(a);
  const y = parseMediaType(b);
  if (x === undefined || y === undefined || x.type !== y.type || x.subtype !== y.subtype) return false;
  const xk = Object.keys(x.params).sort();
  const yk = Object.keys(y.params).sort();
  return xk.length === yk.length && xk.every((k, i) => k === yk[i] && x.params[k] === y.params[k]);
}
