import { InputError } from '@waggle/errors';

/** One event of an OSV range: exactly one of the four keys. */
export type OsvEvent = { readonly introduced: string } | { readonly fixed: string } | { readonly last_affected: string } | { readonly limit: string };

/** `affected[].ranges[]` of an OSV record. */
export interface OsvRange {
  readonly type: 'ECOSYSTEM' | 'SEMVER' | 'GIT';
  readonly events: readonly OsvEvent[];
}

/** `severity[]` of an OSV record or of one affected package (CVSS vector, Ubuntu priority, …). */
export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

/** `affected[]` of an OSV record; `ecosystem`/`name` are absent for GIT-only entries. */
export interface OsvAffected {
  readonly ecosystem?: string;
  readonly name?: string;
  readonly purl?: string;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  readonly severity: readonly OsvSeverity[];
  readonly ecosystemSpecific?: unknown;
  readonly databaseSpecific?: unknown;
}

/** An OSV vulnerability record (https://ossf.github.io/osv-schema/), the parts waggle uses. */
export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity: readonly OsvSeverity[];
  readonly affected: readonly OsvAffected[];
  readonly references: readonly { readonly type: string; readonly url: string }[];
  readonly databaseSpecific?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new InputError(`${where} must be an array of strings`, { field: where });
  return v as string[];
}

function optString(o: Json, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InputError(`${where}.${key} must be a string`, { field: key });
  return v;
}

function severities(v: unknown, where: string): OsvSeverity[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InputError(`${where} must be an array`, { field: where });
  return v.map((s, i) => {
    if (!isObject(s) || typeof s.type !== 'string' || typeof s.score !== 'string') throw new InputError(`${where}[${i}] needs string "type" and "score"`, { field: where });
    return { type: s.type, score: s.score };
  });
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function parseRange(v: unknown, where: string): OsvRange {
  if (!isObject(v)) throw new InputError(`${where} must be an object`, { field: where });
  if (v.type !== 'ECOSYSTEM' && v.type !== 'SEMVER' && v.type !== 'GIT') throw new InputError(`${where}.type must be ECOSYSTEM, SEMVER or GIT, got ${JSON.stringify(v.type)}`, { field: 'type' });
  if (!Array.isArray(v.events) || v.events.length === 0) throw new InputError(`${where}.events must be a non-empty array`, { field: 'events' });
  const events = v.events.map((e: unknown, i: number): OsvEvent => {
    const keys = isObject(e) ? Object.keys(e).filter((k) => (EVENT_KEYS as readonly string[]).includes(k)) : [];
    const key = keys[0] as (typeof EVENT_KEYS)[number] | undefined;
    if (!isObject(e) || keys.length !== 1 || key === undefined || typeof e[key] !== 'string' || e[key] === '') {
      throw new InputError(`${where}.events[${i}] must have exactly one of introduced, fixed, last_affected, limit with a non-empty string`, { field: 'events' });
    }
    return { [key]: e[key] } as OsvEvent;
  });
  if (!events.some((e) => 'introduced' in e)) throw new InputError(`${where}.events has no "introduced" event`, { field: 'events' });
  return { type: v.type, events };
}

function parseAffected(v: unknown, where: string): OsvAffected {
  if (!isObject(v)) throw new InputError(`${where} must be an object`, { field: where });
  const pkg = v.package;
  if (pkg !== undefined && (!isObject(pkg) || typeof pkg.ecosystem !== 'string' || typeof pkg.name !== 'string' || pkg.ecosystem === '' || pkg.name === '')) {
    throw new InputError(`${where}.package needs non-empty "ecosystem" and "name"`, { field: 'package' });
  }
  const ranges = v.ranges === undefined ? [] : Array.isArray(v.ranges) ? v.ranges.map((r, i) => parseRange(r, `${where}.ranges[${i}]`)) : undefined;
  if (ranges === undefined) throw new InputError(`${where}.ranges must be an array`, { field: 'ranges' });
  return {
    ...(isObject(pkg) ? { ecosystem: pkg.ecosystem as string, name: pkg.name as string, ...(typeof pkg.purl === 'string' ? { purl: pkg.purl } : {}) } : {}),
    ranges,
    versions: strings(v.versions, `${where}.versions`),
    severity: severities(v.severity, `${where}.severity`),
    ...(v.ecosystem_specific !== undefined ? { ecosystemSpecific: v.ecosystem_specific } : {}),
    ...(v.database_specific !== undefined ? { databaseSpecific: v.database_specific } : {}),
  };
}

/**
 * Checks an OSV record's structure and returns it in waggle's shape
 * (camel-cased, absent arrays as empty ones). Version strings are checked
 * later, by the index, which knows each ecosystem's syntax.
 * @throws InputError naming the first problem.
 */
export function parseOsvRecord(json: unknown): OsvRecord {
  if (!isObject(json)) throw new InputError('an OSV record must be a JSON object');
  const id = json.id;
  if (typeof id !== 'string' || id === '') throw new InputError('OSV record without an "id"', { field: 'id' });
  const where = id;
  const modified = optString(json, 'modified', where);
  if (modified === undefined) throw new InputError(`${where}: "modified" is required`, { field: 'modified' });
  if (json.affected !== undefined && !Array.isArray(json.affected)) throw new InputError(`${where}: "affected" must be an array`, { field: 'affected' });
  const affected = ((json.affected as unknown[] | undefined) ?? []).map((a, i) => parseAffected(a, `${where}.affected[${i}]`));
  const refs = json.references === undefined ? [] : json.references;
  if (!Array.isArray(refs) || !refs.every((r) => isObject(r) && typeof r.url === 'string')) throw new InputError(`${where}: "references" must be an array of { type, url }`, { field: 'references' });
  const published = optString(json, 'published', where);
  const withdrawn = optString(json, 'withdrawn', where);
  const summary = optString(json, 'summary', where);
  const details = optString(json, 'details', where);
  return {
    id,
    modified,
    ...(published !== undefined ? { published } : {}),
    ...(withdrawn !== undefined ? { withdrawn } : {}),
    aliases: strings(json.aliases, `${where}.aliases`),
    related: strings(json.related, `${where}.related`),
    ...(summary !== undefined ? { summary } : {}),
    ...(details !== undefined ? { details } : {}),
    severity: severities(json.severity, `${where}.severity`),
    affected,
    references: (refs as Json[]).map((r) => ({ type: typeof r.type === 'string' ? r.type : 'WEB', url: r.url as string })),
    ...(json.database_specific !== undefined ? { databaseSpecific: json.database_specific } : {}),
  };
}
