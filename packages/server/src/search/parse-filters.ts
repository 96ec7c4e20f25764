import { InputError } from '@waggle/errors';
import type { EventIndexFilters, SearchFilters, TagFilter, ValueFilter } from '@waggle/core';

type Body = Record<string, unknown>;

/** Whether a request field has a value (absent, null and '' do not). */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function list(v: unknown): unknown[] {
  if (!given(v)) return [];
  return Array.isArray(v) ? v : [v];
}

/** MISP's flexible filter: a value, a list, `!negated` entries, or {OR, AND, NOT}. */
export function valueFilter(v: unknown, field: string): ValueFilter | undefined {
  if (!given(v) || (Array.isArray(v) && v.length === 0)) return undefined;
  const include: string[] = [];
  const exclude: string[] = [];
  const add = (x: unknown, negate: boolean): void => {
    if (typeof x !== 'string' && typeof x !== 'number') throw new InputError(`${field} must contain strings`, { field });
    const s = String(x);
    if (s.startsWith('!')) (negate ? include : exclude).push(s.slice(1));
    else (negate ? exclude : include).push(s);
  };
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Body;
    for (const x of [...list(o.OR), ...list(o.or), ...list(o.AND), ...list(o.and)]) add(x, false);
    for (const x of [...list(o.NOT), ...list(o.not)]) add(x, true);
  } else {
    // Query strings and named parameters give "a||b" or "a&&b" lists.
    const items = typeof v === 'string' && v.includes('||') ? v.split('||') : list(v);
    for (const x of items) add(x, false);
  }
  return include.length === 0 && exclude.length === 0 ? undefined : { include, exclude };
}

/** Tags: a list is OR; {AND, OR, NOT} as PyMISP's build_complex_query makes it; `!tag` negates. */
export function tagFilter(v: unknown): TagFilter | undefined {
  if (!given(v) || (Array.isArray(v) && v.length === 0)) return undefined;
  const and: string[] = [];
  const or: string[] = [];
  const not: string[] = [];
  const put = (target: string[], x: unknown): void => {
    const s = String(x);
    if (s.startsWith('!')) not.push(s.slice(1));
    else target.push(s);
  };
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Body;
    for (const x of [...list(o.AND), ...list(o.and)]) put(and, x);
    for (const x of [...list(o.OR), ...list(o.or)]) put(or, x);
    for (const x of [...list(o.NOT), ...list(o.not)]) not.push(String(x));
  } else {
    const items = typeof v === 'string' && v.includes('&&') ? v.split('&&') : typeof v === 'string' && v.includes('||') ? v.split('||') : list(v);
    const target = typeof v === 'string' && v.includes('&&') ? and : or;
    for (const x of items) put(target, x);
  }
  return { and, or, not };
}

/** Unix seconds, possibly with a fraction (PyMISP's `_make_timestamp` turns datetimes into floats). */
const EPOCH = /^[0-9]+(\.[0-9]*)?$/;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** '5d', '12h', '30m', '90' (seconds) → seconds. */
export function duration(v: string, field: string): number {
  const m = /^([0-9]+)([smhdw]?)$/.exec(v.trim());
  if (m === null) throw new InputError(`${field} must look like 30m, 12h, 7d or a number of seconds`, { field });
  return Number(m[1]) * (UNITS[m[2] === '' ? 's' : (m[2] as string)] ?? 1);
}

/**
 * A timestamp filter (exported for sightings/restSearch): seconds, a date, a duration ('1d' = since one day ago), or [from, to].
 * `unreadable: 'match-nothing'` is MISP's `AppModel::resolveTimeDelta` on the restSearch time filters: a value
 * it cannot read ('5x', 'ad') becomes "one second from now", so the search answers nothing instead of an error.
 */
export function timeRange(v: unknown, field: string, now: number, unreadable: 'reject' | 'match-nothing' = 'reject'): { from?: number; to?: number } | undefined {
  if (!given(v)) return undefined;
  const one = (x: unknown): number => {
    const s = String(x).trim();
    // Numbers are Unix seconds, as in MISP; PyMISP sends datetimes and dates as float seconds.
    if (EPOCH.test(s)) return Math.floor(Number(s));
    if (/^[0-9]+[smhdw]$/.test(s)) return now - duration(s, field);
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) {
      if (unreadable === 'match-nothing') return now + 1;
      throw new InputError(`${field} must be a timestamp, a date or a duration such as 7d`, { field });
    }
    return Math.floor(ms / 1000);
  };
  if (Array.isArray(v)) {
    const [a, b] = v;
    return { ...(given(a) ? { from: one(a) } : {}), ...(given(b) ? { to: one(b) } : {}) };
  }
  return { from: one(v) };
}

function bool(v: unknown, field: string): boolean | undefined {
  if (!given(v)) return undefined;
  if (v === true || v === 1 || v === '1' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'false') return false;
  throw new InputError(`${field} must be true or false`, { field });
}

function int(v: unknown, field: string, min = 0): number | undefined {
  if (!given(v)) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`${field} must be an integer ≥ ${min}`, { field });
  return n;
}

function date(v: unknown, field: string): string | undefined {
  if (!given(v)) return undefined;
  const s = String(v).trim();
  if (EPOCH.test(s)) return new Date(Math.floor(Number(s)) * 1000).toISOString().slice(0, 10);
  if (/^[0-9]+[dhwm]$/.test(s)) return new Date(Date.now() - duration(s, field) * 1000).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(Date.parse(s.slice(0, 10)))) throw new InputError(`${field} must be a date (YYYY-MM-DD)`, { field });
  return s.slice(0, 10);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Event references as MISP reads `eventid`: ids or UUIDs, `!` to exclude, lists or `a|b`, `{OR, NOT}`. */
interface EventRefs {
  ids: number[];
  uuids: string[];
  excludeIds: number[];
  excludeUuids: string[];
}

function eventRefs(v: unknown, field: string): EventRefs | undefined {
  const raw = typeof v === 'object' && v !== null && !Array.isArray(v)
    ? [...list((v as Body).OR), ...list((v as Body).or), ...[...list((v as Body).NOT), ...list((v as Body).not)].map((x) => `!${String(x)}`)]
    : list(v);
  const items = raw.flatMap((x) => (typeof x === 'string' ? x.split(/[,|&]+/) : [x])).map((x) => String(x).trim()).filter((x) => x !== '');
  if (items.length === 0) return undefined;
  const out: EventRefs = { ids: [], uuids: [], excludeIds: [], excludeUuids: [] };
  for (const item of items) {
    const negated = item.startsWith('!');
    const ref = negated ? item.slice(1) : item;
    if (UUID.test(ref)) (negated ? out.excludeUuids : out.uuids).push(ref.toLowerCase());
    else {
      const n = Number(ref);
      if (!Number.isSafeInteger(n) || n <= 0) throw new InputError(`${field} must contain event ids or UUIDs`, { field });
      (negated ? out.excludeIds : out.ids).push(n);
    }
  }
  return out;
}

/** A list, or undefined when it is missing or empty (filters leave empty lists out). */
export const nonEmpty = <T>(xs: readonly T[] | undefined): readonly T[] | undefined => (xs === undefined || xs.length === 0 ? undefined : xs);

/** A list of small integers: a number, a numeric string, `"1|2|3"` (PyMISP's `sharinggroup`), or a list of those. */
export function intList(v: unknown, field: string): number[] | undefined {
  const items = list(v).flatMap((x) => (typeof x === 'string' ? x.split(/[,|]+/).filter((y) => y.trim() !== '') : [x]));
  if (items.length === 0) return undefined;
  return items.map((x) => {
    const n = Number(typeof x === 'string' ? x.trim() : x);
    if (!Number.isSafeInteger(n) || n < 0) throw new InputError(`${field} must contain integers`, { field });
    return n;
  });
}

/** MISP's index text filters, `a|!b`: the parts wanted and those refused (`!` taken off), blanks dropped. */
export function negatableParts(v: string): { include: string[]; exclude: string[] } {
  const parts = v.split('|').map((x) => x.trim()).filter((x) => x !== '' && x !== '!');
  return { include: parts.filter((x) => !x.startsWith('!')), exclude: parts.filter((x) => x.startsWith('!')).map((x) => x.slice(1)) };
}

/**
 * MISP's index filters over small integers with `!` negation: `[1, "!3"]`, `"1|!3"`.
 * Returns the wanted and the refused values (either may be empty).
 */
export function negatableIntList(v: unknown, field: string): { include: number[]; exclude: number[] } | undefined {
  const items = list(v).flatMap((x) => (typeof x === 'string' ? x.split(/[,|]+/).filter((y) => y.trim() !== '') : [x]));
  if (items.length === 0) return undefined;
  const include: number[] = [];
  const exclude: number[] = [];
  for (const x of items) {
    const s = typeof x === 'string' ? x.trim() : x;
    const negated = typeof s === 'string' && s.startsWith('!');
    const n = Number(negated ? s.slice(1) : s);
    if (!Number.isSafeInteger(n) || n < 0) throw new InputError(`${field} must contain integers (prefixed with ! to exclude)`, { field });
    (negated ? exclude : include).push(n);
  }
  return { include, exclude };
}

/** MISP reads `2` or a list holding both 0 and 1 as "either" for a yes/no filter. */
function bothMeansAny(v: unknown, field: string): boolean {
  if (v === 2 || v === '2') return true;
  return Array.isArray(v) && v.some((x) => bool(x, field) === true) && v.some((x) => bool(x, field) === false);
}

/** A yes/no filter MISP also takes as a one-element list, or as [0, 1] (or 2) for either. */
function eitherBool(v: unknown, field: string): boolean | undefined {
  const raw = Array.isArray(v) && v.length === 1 ? (v as unknown[])[0] : v;
  return bothMeansAny(raw, field) ? undefined : bool(raw, field);
}

function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** MISP: 1/true = live and deleted, 0/false = live only, 2/"only" = deleted only, [0,1] = both. */
function deletedFilter(v: unknown): boolean | 'both' | undefined {
  if (!given(v)) return undefined;
  if (Array.isArray(v)) return 'both';
  if (v === 2 || v === '2' || v === 'only') return true;
  return bool(v, 'deleted') === true ? 'both' : false;
}

/** Options that shape the output rather than select. */
export interface SearchOutputOptions {
  readonly returnFormat: string;
  readonly includeCorrelations: boolean;
  readonly includeEventUuid: boolean;
  readonly includeEventTags: boolean;
  readonly includeSightings: boolean;
  /** MISP 2.5's notes, opinions and relationships on the events and their elements. */
  readonly includeAnalystData: boolean;
  readonly metadata: boolean;
  readonly headerless: boolean;
  readonly requestedAttributes: readonly string[] | undefined;
  /** MISP's `enforceWarninglist`: leave out attributes on an enabled warninglist. */
  readonly enforceWarninglist: boolean;
  /** MISP's `includeWarninglistHits`: add `warnings` to attributes on an enabled warninglist. */
  readonly includeWarninglistHits: boolean;
  /** MISP's `withAttachments`: the files of attachments and samples (`data`) in JSON results. */
  readonly withAttachments: boolean;
}

/** Parses a restSearch body (MISP's parameter names) into filters and output options. */
export function parseSearch(body: Body, now: number, scope: 'events' | 'attributes' | 'objects' = 'attributes'): { filters: SearchFilters & EventIndexFilters; output: SearchOutputOptions } {
  const uuids = list(body.uuid).map((u) => String(u).toLowerCase());
  const refs = eventRefs(body.eventid ?? body.event_id, 'eventid');
  const last = body.last !== undefined && body.last !== '' ? now - duration(String(body.last), 'last') : undefined;
  // MISP: `timestamp` is the event's last change in events/restSearch, the attribute's elsewhere;
  // `attribute_timestamp` and `event_timestamp` name one or the other explicitly.
  // Unreadable values match nothing, as MISP's resolveTimeDelta makes them (PyMISP's test_search_publish_timestamp).
  const ts = scope === 'events' ? timeRange(body.attribute_timestamp, 'attribute_timestamp', now, 'match-nothing') : timeRange(body.timestamp ?? body.attribute_timestamp, 'timestamp', now, 'match-nothing');
  const ets = scope === 'events' ? timeRange(body.event_timestamp ?? body.timestamp, 'timestamp', now, 'match-nothing') : timeRange(body.event_timestamp, 'event_timestamp', now, 'match-nothing');
  const pts = timeRange(body.publish_timestamp, 'publish_timestamp', now, 'match-nothing');
  const deletedRaw = body.deleted;
  const deleted = deletedFilter(deletedRaw);
  const limit = int(body.limit, 'limit', 1);
  const page = int(body.page, 'page', 1);
  // MISP's Event::restSearch: with `searchall` present, a scalar `value` is the term searched everywhere
  // (PyMISP's `search(value='%for the full text%', searchall=True)`), not a value filter.
  const valueIsSearchAllTerm = body.searchall !== undefined && body.searchall !== null && given(body.value) && (typeof body.value === 'string' || typeof body.value === 'number');
  const value = valueIsSearchAllTerm ? undefined : valueFilter(body.value, 'value');
  // quickFilter is MISP's other name for searchall (tag names, event info, attribute values and comments).
  const searchAllRaw = valueIsSearchAllTerm ? body.value : (body.searchall ?? body.quickFilter ?? body.quick_filter);
  const searchAll = given(searchAllRaw) ? String(searchAllRaw) : undefined;
  const sharingGroups = negatableIntList(body.sharinggroup, 'sharinggroup');
  const type = valueFilter(body.type ?? body.type_attribute, 'type');
  const category = valueFilter(body.category, 'category');
  const org = valueFilter(body.org, 'org');
  const tags = tagFilter(body.tags ?? body.tag);
  // MISP's `ignore` lifts both the to_ids and the published condition. The text and NIDS exports feed
  // IDS block lists and sensors, so MISP restricts them (unlike json, csv and stix2) to attributes
  // marked for IDS in published events unless the request says otherwise.
  const ignore = bool(body.ignore, 'ignore') === true;
  const returnFormat = String(body.returnFormat ?? body.return_format ?? 'json').toLowerCase();
  const idsList = !ignore && ['text', 'txt', 'suricata', 'snort'].includes(returnFormat);
  const toIds = ignore ? undefined : (eitherBool(body.to_ids, 'to_ids') ?? (idsList && !given(body.to_ids) ? true : undefined));
  const published = ignore ? undefined : (eitherBool(body.published, 'published') ?? (idsList && !given(body.published) ? true : undefined));
  // `date` (events): a range on the event date like `from`/`to`: `7d`, a date, or [from, to].
  const dateRange = timeRange(body.date, 'date', now);
  const dateFrom = date(body.from ?? body.date_from, 'from') ?? (dateRange?.from !== undefined ? isoDay(dateRange.from) : undefined);
  const dateTo = date(body.to ?? body.date_to, 'to') ?? (dateRange?.to !== undefined ? isoDay(dateRange.to) : undefined);
  const threatLevel = negatableIntList(body.threat_level_id, 'threat_level_id');
  const filters: Record<string, unknown> = {
    value, type, category, org, tags, toIds,
    eventIds: nonEmpty(refs?.ids),
    eventUuids: nonEmpty(refs?.uuids),
    excludeEventIds: nonEmpty(refs?.excludeIds),
    excludeEventUuids: nonEmpty(refs?.excludeUuids), published, dateFrom, dateTo, limit, page,
    uuids: uuids.length > 0 ? uuids : undefined,
    objectNames: list(body.object_name).length > 0 ? list(body.object_name).map(String) : undefined,
    eventInfo: body.eventinfo === undefined || body.eventinfo === '' ? undefined : String(body.eventinfo),
    eventTags: tagFilter(body.event_tags),
    objectRelation: valueFilter(body.object_relation, 'object_relation'),
    comment: valueFilter(body.comment, 'comment'),
    value1: valueFilter(body.value1, 'value1'),
    value2: valueFilter(body.value2, 'value2'),
    threatLevelIds: nonEmpty(threatLevel?.include),
    excludeThreatLevelIds: nonEmpty(threatLevel?.exclude),
    searchAll,
    timestampFrom: ts?.from,
    timestampTo: ts?.to,
    eventTimestampFrom: ets?.from,
    eventTimestampTo: ets?.to,
    // `last` and `publish_timestamp` are two conditions on the same column: the later bound wins.
    publishTimestampFrom: pts?.from !== undefined && last !== undefined ? Math.max(pts.from, last) : (pts?.from ?? last),
    publishTimestampTo: pts?.to,
    sharingGroupIds: nonEmpty(sharingGroups?.include),
    excludeSharingGroupIds: nonEmpty(sharingGroups?.exclude),
    deleted,
  };
  for (const k of Object.keys(filters)) if (filters[k] === undefined) delete filters[k];
  const requested = list(body.requested_attributes).map(String);
  return {
    filters: filters as SearchFilters & EventIndexFilters,
    output: {
      returnFormat,
      includeCorrelations: bool(body.includeCorrelations ?? body.include_correlations, 'includeCorrelations') ?? false,
      includeEventUuid: bool(body.includeEventUuid ?? body.include_event_uuid, 'includeEventUuid') ?? false,
      includeEventTags: bool(body.includeEventTags ?? body.include_event_tags, 'includeEventTags') ?? false,
      includeSightings: bool(body.includeSightings ?? body.include_sightings, 'includeSightings') ?? false,
      includeAnalystData: bool(body.includeAnalystData, 'includeAnalystData') ?? false,
      metadata: bool(body.metadata, 'metadata') ?? false,
      headerless: bool(body.headerless, 'headerless') ?? false,
      requestedAttributes: requested.length > 0 ? requested : undefined,
      enforceWarninglist: bool(body.enforceWarninglist ?? body.enforce_warninglist, 'enforceWarninglist') ?? false,
      includeWarninglistHits: bool(body.includeWarninglistHits ?? body.include_warninglist_hits, 'includeWarninglistHits') ?? false,
      withAttachments: bool(body.withAttachments ?? body.with_attachments, 'withAttachments') ?? false,
    },
  };
}
