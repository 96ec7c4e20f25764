import { WaggleError } from '@waggle/errors';
import type { StixLike, TaxiiApiRoot, TaxiiCollection, TaxiiDiscovery, TaxiiEnvelope, TaxiiManifest, TaxiiManifestRecord, TaxiiStatus, TaxiiStatusDetails, TaxiiVersions } from './resources.js';

/*
 * Strict checks of what a TAXII server answers. A server that breaks the
 * specification gets a clear, non-retryable `unavailable` error naming the
 * property, rather than half-parsed data flowing into waggle.
 */

type Obj = Record<string, unknown>;

/** The error thrown when a server's answer does not follow TAXII 2.1. */
export function protocolError(url: string, problem: string): WaggleError {
  return new WaggleError('unavailable', `TAXII server answered ${url} with ${problem}`, { retryable: false, details: { url } });
}

function object(url: string, v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw protocolError(url, `${what} that is not a JSON object`);
  return v as Obj;
}

function str(url: string, o: Obj, key: string, what: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && v === '')) throw protocolError(url, `a ${what} whose "${key}" is ${v === undefined ? 'missing' : 'not a non-empty string'}`);
  return v;
}

function bool(url: string, o: Obj, key: string, what: string, required: boolean): boolean | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'boolean') throw protocolError(url, `a ${what} whose "${key}" is ${v === undefined ? 'missing' : 'not a boolean'}`);
  return v;
}

function count(url: string, o: Obj, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw protocolError(url, `a ${what} whose "${key}" is not a non-negative integer`);
  return v;
}

function list(url: string, o: Obj, key: string, what: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw protocolError(url, `a ${what} whose "${key}" is not a list`);
  return v;
}

function strings(url: string, o: Obj, key: string, what: string): string[] | undefined {
  const l = list(url, o, key, what);
  if (l === undefined) return undefined;
  if (!l.every((x) => typeof x === 'string')) throw protocolError(url, `a ${what} whose "${key}" holds something other than strings`);
  return l as string[];
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

/** Checks a discovery resource. */
export function checkDiscovery(url: string, body: unknown): TaxiiDiscovery {
  const o = object(url, body, 'a discovery resource');
  const w = 'discovery resource';
  return {
    title: str(url, o, 'title', w, true) as string,
    ...optional('description', str(url, o, 'description', w, false)),
    ...optional('contact', str(url, o, 'contact', w, false)),
    ...optional('default', str(url, o, 'default', w, false)),
    ...optional('api_roots', strings(url, o, 'api_roots', w)),
  };
}

/** Checks an API root resource. */
export function checkApiRoot(url: string, body: unknown): TaxiiApiRoot {
  const o = object(url, body, 'an API root resource');
  const w = 'API root resource';
  const versions = strings(url, o, 'versions', w);
  if (versions === undefined || versions.length === 0) throw protocolError(url, `an ${w} without "versions"`);
  return {
    title: str(url, o, 'title', w, true) as string,
    ...optional('description', str(url, o, 'description', w, false)),
    versions,
    max_content_length: count(url, o, 'max_content_length', w),
  };
}

/** Checks one collection resource. */
export function checkCollection(url: string, body: unknown): TaxiiCollection {
  const o = object(url, body, 'a collection resource');
  const w = 'collection resource';
  return {
    id: str(url, o, 'id', w, true) as string,
    title: str(url, o, 'title', w, true) as string,
    ...optional('description', str(url, o, 'description', w, false)),
    ...optional('alias', str(url, o, 'alias', w, false)),
    can_read: bool(url, o, 'can_read', w, true) as boolean,
    can_write: bool(url, o, 'can_write', w, true) as boolean,
    ...optional('media_types', strings(url, o, 'media_types', w)),
  };
}

/** Checks a collections resource and returns its collections ([] when the property is absent). */
export function checkCollections(url: string, body: unknown): TaxiiCollection[] {
  const o = object(url, body, 'a collections resource');
  return (list(url, o, 'collections', 'collections resource') ?? []).map((c) => checkCollection(url, c));
}

function paging(url: string, o: Obj, w: string): { more?: boolean; next?: string } {
  const more = bool(url, o, 'more', w, false);
  const next = str(url, o, 'next', w, false);
  return { ...optional('more', more), ...optional('next', next) };
}

/** Checks an envelope; every object must at least carry a string `type` and `id`. */
export function checkEnvelope(url: string, body: unknown): TaxiiEnvelope {
  const o = object(url, body, 'an envelope');
  const objects = (list(url, o, 'objects', 'envelope') ?? []).map((x, i) => {
    const so = object(url, x, `envelope object #${i}`);
    str(url, so, 'type', `envelope object #${i}`, true);
    str(url, so, 'id', `envelope object #${i}`, true);
    return so as StixLike;
  });
  return { ...paging(url, o, 'envelope'), objects };
}

/** Checks a manifest resource. */
export function checkManifest(url: string, body: unknown): TaxiiManifest {
  const o = object(url, body, 'a manifest resource');
  const objects = (list(url, o, 'objects', 'manifest resource') ?? []).map((x, i): TaxiiManifestRecord => {
    const w = `manifest record #${i}`;
    const r = object(url, x, w);
    return {
      id: str(url, r, 'id', w, true) as string,
      date_added: str(url, r, 'date_added', w, true) as string,
      version: str(url, r, 'version', w, true) as string,
      ...optional('media_type', str(url, r, 'media_type', w, false)),
    };
  });
  return { ...paging(url, o, 'manifest resource'), objects };
}

/** Checks a versions resource. */
export function checkVersions(url: string, body: unknown): TaxiiVersions {
  const o = object(url, body, 'a versions resource');
  return { ...paging(url, o, 'versions resource'), versions: strings(url, o, 'versions', 'versions resource') ?? [] };
}

/** Checks a status resource, including that its counts add up. */
export function checkStatus(url: string, body: unknown): TaxiiStatus {
  const o = object(url, body, 'a status resource');
  const w = 'status resource';
  const status = str(url, o, 'status', w, true);
  if (status !== 'complete' && status !== 'pending') throw protocolError(url, `a ${w} whose "status" is neither complete nor pending`);
  const details = (key: string): TaxiiStatusDetails[] | undefined =>
    list(url, o, key, w)?.map((x, i) => {
      const d = object(url, x, `${key} #${i}`);
      return { id: str(url, d, 'id', `${key} #${i}`, true) as string, version: str(url, d, 'version', `${key} #${i}`, false) ?? '', ...optional('message', str(url, d, 'message', `${key} #${i}`, false)) };
    });
  const s: TaxiiStatus = {
    id: str(url, o, 'id', w, true) as string,
    status,
    ...optional('request_timestamp', str(url, o, 'request_timestamp', w, false)),
    total_count: count(url, o, 'total_count', w),
    success_count: count(url, o, 'success_count', w),
    ...optional('successes', details('successes')),
    failure_count: count(url, o, 'failure_count', w),
    ...optional('failures', details('failures')),
    pending_count: count(url, o, 'pending_count', w),
    ...optional('pendings', details('pendings')),
  };
  if (s.success_count + s.failure_count + s.pending_count !== s.total_count) throw protocolError(url, `a ${w} whose counts do not add up to total_count`);
  return s;
}
