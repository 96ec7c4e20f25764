import { InputError } from '@waggle/errors';
import { parseTaxiiTimestamp } from './timestamp.js';

/** One `match[version]` value: `first`, `last`, `all`, or one specific version timestamp. */
export type TaxiiVersionMatch = { readonly kind: 'first' | 'last' | 'all' } | { readonly kind: 'at'; readonly timestamp: string };

/** The query parameters of a TAXII request, checked and typed (section 3.4). */
export interface TaxiiFilter {
  /** Only records added strictly after this (canonical UTC timestamp). */
  readonly addedAfter?: string;
  /** The page size the client asked for (positive integer); the server may return fewer. */
  readonly limit?: number;
  /** The opaque paging token of a previous answer, as sent (decode it with decodeTaxiiCursor). */
  readonly next?: string;
  readonly match: {
    /** STIX ids; empty means any. */
    readonly id: readonly string[];
    /** STIX types; empty means any. */
    readonly type: readonly string[];
    /** Which versions of each object; never empty (the endpoint's default applies). */
    readonly version: readonly TaxiiVersionMatch[];
    /** STIX spec versions; empty means "the latest available for each object". */
    readonly specVersion: readonly string[];
  };
}

/**
 * The endpoint a query is for; it decides which parameters are allowed
 * (section 5) and the default of `match[version]` (`all` for versions, else `last`).
 */
export type TaxiiFilterEndpoint = 'objects' | 'manifest' | 'object' | 'versions';

const MATCH_FIELDS = ['id', 'type', 'version', 'spec_version'] as const;
type MatchField = (typeof MATCH_FIELDS)[number];

const ALLOWED: { readonly [E in TaxiiFilterEndpoint]: readonly MatchField[] } = {
  objects: ['id', 'type', 'version', 'spec_version'],
  manifest: ['id', 'type', 'version', 'spec_version'],
  object: ['version', 'spec_version'],
  versions: ['spec_version'],
};

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const STIX_ID = /^([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SPEC_VERSION = /^\d+\.\d+$/;
const MATCH_PARAM = /^match\[([^\]]*)\]$/;

/** True for a well-formed STIX identifier (`type--uuid`). */
export function isStixId(value: string): boolean {
  return STIX_ID.test(value);
}

/** True for a well-formed STIX type name. */
export function isStixType(value: string): boolean {
  return STIX_TYPE.test(value) && !value.includes('--');
}

/**
 * Parses TAXII query parameters (as a framework's query object: string or
 * string[] values) for `endpoint`. Every bad value throws an InputError naming
 * the parameter. Parameters TAXII does not define are ignored; an unknown or
 * unsupported `match[...]` field is refused, since silently ignoring it would
 * return more than the client asked for.
 */
export function parseTaxiiFilter(query: Readonly<Record<string, unknown>>, endpoint: TaxiiFilterEndpoint): TaxiiFilter {
  const match: { id: string[]; type: string[]; version: TaxiiVersionMatch[]; specVersion: string[] } = { id: [], type: [], version: [], specVersion: [] };
  let addedAfter: string | undefined;
  let limit: number | undefined;
  let next: string | undefined;
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    if (name === 'added_after') addedAfter = parseTaxiiTimestamp(single(name, raw), name);
    else if (name === 'limit') limit = parseLimit(single(name, raw));
    else if (name === 'next') {
      next = single(name, raw);
      if (next === '') throw new InputError('next must not be empty', { field: name });
    } else {
      const m = MATCH_PARAM.exec(name);
      if (m === null) continue;
      const field = m[1] as string;
      if (!(MATCH_FIELDS as readonly string[]).includes(field)) throw new InputError(`Unknown filter ${name}; supported: ${MATCH_FIELDS.map((f) => `match[${f}]`).join(', ')}`, { field: name });
      if (!ALLOWED[endpoint].includes(field as MatchField)) throw new InputError(`Filter ${name} is not supported on this endpoint`, { field: name });
      for (const value of listValues(name, raw)) addMatch(match, field as MatchField, name, value);
    }
  }
  if (match.version.length === 0) match.version.push({ kind: endpoint === 'versions' ? 'all' : 'last' });
  return {
    ...(addedAfter !== undefined ? { addedAfter } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(next !== undefined ? { next } : {}),
    match: { id: dedupe(match.id), type: dedupe(match.type), version: match.version, specVersion: dedupe(match.specVersion) },
  };
}

function addMatch(match: { id: string[]; type: string[]; version: TaxiiVersionMatch[]; specVersion: string[] }, field: MatchField, name: string, value: string): void {
  switch (field) {
    case 'id':
      if (!isStixId(value)) throw new InputError(`${name}: ${JSON.stringify(value)} is not a STIX identifier (type--uuid)`, { field: name });
      match.id.push(value);
      return;
    case 'type':
      if (!isStixType(value)) throw new InputError(`${name}: ${JSON.stringify(value)} is not a STIX type name`, { field: name });
      match.type.push(value);
      return;
    case 'version':
      if (value === 'first' || value === 'last' || value === 'all') match.version.push({ kind: value });
      else match.version.push({ kind: 'at', timestamp: parseTaxiiTimestamp(value, name) });
      return;
    case 'spec_version':
      if (!SPEC_VERSION.test(value)) throw new InputError(`${name}: ${JSON.stringify(value)} is not a STIX spec version such as 2.1`, { field: name });
      match.specVersion.push(value);
      return;
  }
}

function single(name: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) throw new InputError(`${name} may be given only once`, { field: name });
  throw new InputError(`${name} must be a string`, { field: name });
}

/** Comma-separated values (section 3.4.1); repeating the parameter adds more (OR). */
function listValues(name: string, raw: unknown): string[] {
  const parts = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') throw new InputError(`${name} must be a string`, { field: name });
    for (const v of p.split(',')) {
      const t = v.trim();
      if (t === '') throw new InputError(`${name} has an empty value`, { field: name });
      out.push(t);
    }
  }
  return out;
}

function parseLimit(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new InputError(`limit must be a positive integer, got ${JSON.stringify(text)}`, { field: 'limit' });
  return Number(text);
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The query parameters for a filter (the inverse of parseTaxiiFilter; used by the client). */
export function taxiiFilterQuery(filter: Partial<Omit<TaxiiFilter, 'match'>> & { readonly match?: Partial<TaxiiFilter['match']> }): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.addedAfter !== undefined) q.set('added_after', filter.addedAfter);
  if (filter.limit !== undefined) q.set('limit', String(filter.limit));
  if (filter.next !== undefined) q.set('next', filter.next);
  const m = filter.match ?? {};
  if (m.id !== undefined && m.id.length > 0) q.set('match[id]', m.id.join(','));
  if (m.type !== undefined && m.type.length > 0) q.set('match[type]', m.type.join(','));
  if (m.version !== undefined && m.version.length > 0) q.set('match[version]', m.version.map((v) => (v.kind === 'at' ? v.timestamp : v.kind)).join(','));
  if (m.specVersion !== undefined && m.specVersion.length > 0) q.set('match[spec_version]', m.specVersion.join(','));
  return q;
}
