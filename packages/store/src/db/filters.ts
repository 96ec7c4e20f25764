import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { EventIndexFilters, SearchFilters, TagFilter, ValueFilter } from '@waggle/core';
import { ipRange } from '@waggle/misp';
import type { SqlEngine } from './engine.js';
import type { Database } from './schema.js';
import { attributeKeyFilter, ipBlockFilter } from './attribute-keys.js';

type AEB = ExpressionBuilder<Database, 'events' | 'attributes'>;
type EEB = ExpressionBuilder<Database, 'events'>;

/** Escapes LIKE metacharacters, then turns MISP's `%` wildcard back on. */
export function likePattern(value: string): string {
  return value.replace(/[\\_]/g, (c) => `\\${c}`);
}

function hasWildcard(value: string): boolean {
  return value.includes('%');
}

/**
 * A LIKE pattern (escape character `\`) read as MySQL reads one: a backslash makes the next character
 * literal (`\\` a backslash, `\%` a percent sign), an unescaped `%` is the wildcard; `_` stays literal,
 * as everywhere in waggle. `wildcard` says whether the pattern has an unescaped `%`.
 */
function backslashEscapedPattern(value: string): { pattern: string; wildcard: boolean } {
  let pattern = '';
  let wildcard = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '\\' && i + 1 < value.length) {
      const next = value.charAt(++i);
      pattern += next === '\\' || next === '%' || next === '_' ? `\\${next}` : next;
    } else if (c === '%') {
      pattern += '%';
      wildcard = true;
    } else {
      pattern += c === '\\' || c === '_' ? `\\${c}` : c;
    }
  }
  return { pattern, wildcard };
}

/** MISP's text match on one column: exact, or a `%` pattern compared case-insensitively (ILIKE on PostgreSQL, LIKE on SQLite). */
export function textMatch(column: string, value: string, engine: SqlEngine): Expression<SqlBool> {
  const ref = sql.ref(column);
  if (!hasWildcard(value)) {
    // On SQLite, attribute values are found through the key table (attribute-keys.ts), not an index on the column.
    const keyed = column === 'attributes.value1' || column === 'attributes.value2' ? attributeKeyFilter(engine, 'attributes.id', 'value', [value]) : undefined;
    return keyed === undefined ? sql<SqlBool>`${ref} = ${value}` : sql<SqlBool>`(${keyed} and ${ref} = ${value})`;
  }
  const pattern = likePattern(value);
  return engine === 'postgres'
    ? sql<SqlBool>`${ref} ilike ${pattern} escape '\\'`
    : sql<SqlBool>`${ref} like ${pattern} escape '\\'`;
}

function valueFilter(eb: AEB, columns: readonly string[], filter: ValueFilter | undefined, engine: SqlEngine): Expression<SqlBool>[] {
  if (filter === undefined) return [];
  const out: Expression<SqlBool>[] = [];
  if (filter.include.length > 0) {
    out.push(eb.or(filter.include.flatMap((v) => columns.map((c) => textMatch(c, v, engine)))));
  }
  for (const v of filter.exclude) {
    out.push(eb.not(eb.or(columns.map((c) => textMatch(c, v, engine)))));
  }
  return out;
}

/**
 * restSearch `value` with CIDR notation (`198.51.100.0/24`, `2001:db8::/32`): IP attributes inside
 * the block, and blocks inside it (MISP searches IP values by CIDR too). Blocks come from the
 * `ip_ranges` index; single addresses from it too on PostgreSQL, and from the key table on SQLite
 * (attribute-keys.ts). The literal text is matched as well.
 */
function cidrMatch(value: string, engine: SqlEngine): Expression<SqlBool> | undefined {
  if (!value.includes('/')) return undefined;
  const range = ipRange(value);
  if (range === undefined) return undefined;
  const ranges = sql<SqlBool>`attributes.id in (select r.attribute_id from ip_ranges r where r.family = ${range.family} and r.ip_start >= ${range.start} and r.ip_start <= ${range.end} and r.ip_end <= ${range.end})`;
  const keyed = ipBlockFilter(engine, 'attributes.id', range);
  const literal = textMatch('attributes.value1', value, engine);
  return keyed === undefined ? sql<SqlBool>`(${ranges} or ${literal})` : sql<SqlBool>`(${ranges} or ${keyed} or ${literal})`;
}

/** An exact value in value1 or value2: on SQLite one key lookup serves both halves (they share the key table's tokens). */
function eitherValue(eb: AEB, v: string, engine: SqlEngine): Expression<SqlBool> {
  const keyed = hasWildcard(v) ? undefined : attributeKeyFilter(engine, 'attributes.id', 'value', [v]);
  if (keyed === undefined) return eb.or([textMatch('attributes.value1', v, engine), textMatch('attributes.value2', v, engine)]);
  return sql<SqlBool>`(${keyed} and (attributes.value1 = ${v} or attributes.value2 = ${v}))`;
}

/** The `value` filter over value1 and value2, with CIDR blocks matching the IPs they contain. */
function attributeValueFilter(eb: AEB, filter: ValueFilter | undefined, engine: SqlEngine): Expression<SqlBool>[] {
  if (filter === undefined) return [];
  const one = (v: string): Expression<SqlBool> => cidrMatch(v, engine) ?? eitherValue(eb, v, engine);
  const out: Expression<SqlBool>[] = [];
  if (filter.include.length > 0) out.push(eb.or(filter.include.map(one)));
  for (const v of filter.exclude) out.push(eb.not(one(v)));
  return out;
}

function tagNameMatch(name: string, engine: SqlEngine): Expression<SqlBool> {
  if (!hasWildcard(name)) return sql<SqlBool>`lower(t.name) = ${name.toLowerCase()}`;
  const op = engine === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  return sql<SqlBool>`t.name ${op} ${likePattern(name)} escape '\\'`;
}

function eventHasTag(name: string, engine: SqlEngine): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from event_tags et join tags t on t.id = et.tag_id where et.event_id = events.id and ${tagNameMatch(name, engine)})`;
}

function attributeHasTag(name: string, engine: SqlEngine): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from attribute_tags at2 join tags t on t.id = at2.tag_id where at2.attribute_id = attributes.id and ${tagNameMatch(name, engine)})`;
}

/** Whether one of the event's attributes carries the tag (MISP's AttributeTag subquery on `event_id`). */
function eventAttributeHasTag(name: string, engine: SqlEngine): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from attribute_tags at3 join tags t on t.id = at3.tag_id where at3.event_id = events.id and ${tagNameMatch(name, engine)})`;
}

/**
 * Tag filter. `attribute`: a tag counts when on the attribute or on its event (as in MISP).
 * `event`: the event's own tags. `event-or-attributes` (events/restSearch, MISP's Attribute::set_filter_tags
 * in the Event scope): a wanted tag on the event or on any of its attributes, a refused one on the event.
 */
function tagFilter(eb: AEB, tags: TagFilter | undefined, engine: SqlEngine, scope: 'attribute' | 'event' | 'event-or-attributes'): Expression<SqlBool>[] {
  if (tags === undefined) return [];
  const has = (name: string): Expression<SqlBool> =>
    scope === 'event' ? eventHasTag(name, engine)
      : scope === 'event-or-attributes' ? eb.or([eventHasTag(name, engine), eventAttributeHasTag(name, engine)])
        : eb.or([eventHasTag(name, engine), attributeHasTag(name, engine)]);
  const out: Expression<SqlBool>[] = tags.and.map(has);
  if (tags.or.length > 0) out.push(eb.or(tags.or.map(has)));
  for (const name of tags.not) out.push(eb.not(scope === 'event-or-attributes' ? eventHasTag(name, engine) : has(name)));
  return out;
}

function range(eb: AEB, column: string, from: number | string | undefined, to: number | string | undefined): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const ref = sql.ref(column);
  if (from !== undefined) out.push(sql<SqlBool>`${ref} >= ${from}`);
  if (to !== undefined) out.push(sql<SqlBool>`${ref} <= ${to}`);
  return out;
}

function eventLevel(eb: AEB, f: SearchFilters, engine: SqlEngine): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (f.eventIds !== undefined || f.eventUuids !== undefined) {
    const byId = f.eventIds !== undefined && f.eventIds.length > 0 ? [sql<SqlBool>`events.id in (${sql.join(f.eventIds)})`] : [];
    const byUuid = f.eventUuids !== undefined && f.eventUuids.length > 0 ? [sql<SqlBool>`events.uuid in (${sql.join(f.eventUuids)})`] : [];
    out.push(byId.length + byUuid.length === 0 ? sql<SqlBool>`1 = 0` : eb.or([...byId, ...byUuid]));
  }
  if (f.excludeEventIds !== undefined && f.excludeEventIds.length > 0) out.push(sql<SqlBool>`events.id not in (${sql.join(f.excludeEventIds)})`);
  if (f.excludeEventUuids !== undefined && f.excludeEventUuids.length > 0) out.push(sql<SqlBool>`events.uuid not in (${sql.join(f.excludeEventUuids)})`);
  if (f.org !== undefined) {
    const orgMatch = (v: string): Expression<SqlBool> =>
      /^[0-9]+$/.test(v)
        ? sql<SqlBool>`events.orgc_id = ${Number(v)}`
        : sql<SqlBool>`exists (select 1 from organisations o where o.id = events.orgc_id and (lower(o.name) = ${v.toLowerCase()} or o.uuid = ${v}))`;
    if (f.org.include.length > 0) out.push(eb.or(f.org.include.map(orgMatch)));
    for (const v of f.org.exclude) out.push(eb.not(orgMatch(v)));
  }
  out.push(...tagFilter(eb, f.eventTags, engine, 'event'));
  const index = f as EventIndexFilters;
  if (index.threatLevelIds !== undefined) out.push(sql<SqlBool>`events.threat_level_id in (${sql.join(index.threatLevelIds)})`);
  if (index.excludeThreatLevelIds !== undefined) out.push(sql<SqlBool>`events.threat_level_id not in (${sql.join(index.excludeThreatLevelIds)})`);
  if (index.analysis !== undefined) out.push(sql<SqlBool>`events.analysis in (${sql.join(index.analysis)})`);
  if (index.excludeAnalysis !== undefined) out.push(sql<SqlBool>`events.analysis not in (${sql.join(index.excludeAnalysis)})`);
  if (index.distribution !== undefined) out.push(sql<SqlBool>`events.distribution in (${sql.join(index.distribution)})`);
  if (index.excludeDistribution !== undefined) out.push(sql<SqlBool>`events.distribution not in (${sql.join(index.excludeDistribution)})`);
  if (f.eventInfo !== undefined) {
    const op = engine === 'postgres' ? sql.raw('ilike') : sql.raw('like');
    const p = hasWildcard(f.eventInfo) ? f.eventInfo : `%${f.eventInfo}%`;
    // MISP compares with MySQL's LIKE, where a backslash escapes the next character, so PyMISP's
    // test_simple_event finds `C:\Windows\…` by `C:\\Windows\\…` (MISP issue 6616); the text as written matches too.
    const mysql = backslashEscapedPattern(f.eventInfo);
    const q = mysql.wildcard ? mysql.pattern : `%${mysql.pattern}%`;
    out.push(eb.or([
      sql<SqlBool>`events.info ${op} ${likePattern(p)} escape '\\'`,
      sql<SqlBool>`events.info ${op} ${q} escape '\\'`,
    ]));
  }
  out.push(...range(eb, 'events.date', f.dateFrom, f.dateTo));
  out.push(...range(eb, 'events.timestamp', f.eventTimestampFrom, f.eventTimestampTo));
  out.push(...range(eb, 'events.publish_timestamp', f.publishTimestampFrom, f.publishTimestampTo));
  if (f.published !== undefined) out.push(sql<SqlBool>`events.published = ${f.published ? 1 : 0}`);
  if (f.sharingGroupIds !== undefined) out.push(f.sharingGroupIds.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`events.sharing_group_id in (${sql.join(f.sharingGroupIds)})`);
  if (f.excludeSharingGroupIds !== undefined && f.excludeSharingGroupIds.length > 0) out.push(sql<SqlBool>`events.sharing_group_id not in (${sql.join(f.excludeSharingGroupIds)})`);
  return out;
}

/**
 * MISP's `searchall` on an attribute row joined with its event: its values or comment, its
 * tags, its event's info or tags. Text compares case-insensitively, `%` for substrings.
 */
function searchAllMatch(eb: AEB, term: string, engine: SqlEngine): Expression<SqlBool> {
  const op = engine === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  const pattern = likePattern(term);
  const text = (column: string): Expression<SqlBool> => sql<SqlBool>`${sql.ref(column)} ${op} ${pattern} escape '\\'`;
  return eb.or([
    text('attributes.value1'), text('attributes.value2'), text('attributes.comment'), text('events.info'),
    eventHasTag(term, engine), attributeHasTag(term, engine),
  ]);
}

/** `<table>.uuid in (…)`, found through the key table on SQLite (attribute-keys.ts). */
function attributeUuidIn(table: string, uuids: readonly string[], engine: SqlEngine): Expression<SqlBool> {
  const plain = sql<SqlBool>`${sql.ref(`${table}.uuid`)} in (${sql.join(uuids)})`;
  const keyed = attributeKeyFilter(engine, `${table}.id`, 'uuid', uuids);
  return keyed === undefined ? plain : sql<SqlBool>`(${keyed} and ${plain})`;
}

/** WHERE conditions for an attribute search joined with its event. */
export function attributeConditions(eb: AEB, f: SearchFilters, engine: SqlEngine): Expression<SqlBool>[] {
  const out = eventLevel(eb, f, engine);
  out.push(...attributeValueFilter(eb, f.value, engine));
  out.push(...valueFilter(eb, ['attributes.value1'], f.value1, engine));
  out.push(...valueFilter(eb, ['attributes.value2'], f.value2, engine));
  out.push(...valueFilter(eb, ['attributes.object_relation'], f.objectRelation, engine));
  out.push(...valueFilter(eb, ['attributes.comment'], f.comment, engine));
  if (f.searchAll !== undefined) out.push(searchAllMatch(eb, f.searchAll, engine));
  out.push(...valueFilter(eb, ['attributes.type'], f.type, engine));
  out.push(...valueFilter(eb, ['attributes.category'], f.category, engine));
  out.push(...tagFilter(eb, f.tags, engine, 'attribute'));
  // MISP: a UUID names the attribute or its event.
  if (f.uuids !== undefined && f.uuids.length > 0) out.push(sql<SqlBool>`(${attributeUuidIn('attributes', f.uuids, engine)} or events.uuid in (${sql.join(f.uuids)}))`);
  if (f.objectNames !== undefined && f.objectNames.length > 0) {
    out.push(sql<SqlBool>`exists (select 1 from objects ob where ob.id = attributes.object_id and ob.name in (${sql.join(f.objectNames)}))`);
  }
  out.push(...range(eb, 'attributes.timestamp', f.timestampFrom, f.timestampTo));
  if (f.toIds !== undefined) out.push(sql<SqlBool>`attributes.to_ids = ${f.toIds ? 1 : 0}`);
  const deleted = f.deleted ?? false;
  if (deleted !== 'both') out.push(sql<SqlBool>`attributes.deleted = ${deleted ? 1 : 0}`);
  return out;
}

/** WHERE conditions on events alone (event index and restSearch without attribute-level filters). */
export function eventConditions(events: EEB, f: SearchFilters, engine: SqlEngine): Expression<SqlBool>[] {
  // Only event columns are referenced below; the wider builder type lets the helpers be shared.
  const eb = events as unknown as AEB;
  const out = eventLevel(eb, f, engine);
  out.push(...tagFilter(eb, f.tags, engine, f.tagsOnAttributes === true ? 'event-or-attributes' : 'event'));
  // MISP: a UUID names the event or one of its attributes.
  if (f.uuids !== undefined && f.uuids.length > 0) {
    out.push(sql<SqlBool>`(events.uuid in (${sql.join(f.uuids)}) or events.id in (select u.event_id from attributes u where ${attributeUuidIn('u', f.uuids, engine)}))`);
  }
  return out;
}

/** Whether a filter set needs attribute-level matching (value, type, category, …). */
export function needsAttributeMatch(f: SearchFilters): boolean {
  return f.searchAll !== undefined || attributeFiltersBesidesSearchAll(f);
}

function attributeFiltersBesidesSearchAll(f: SearchFilters): boolean {
  return f.value !== undefined || f.value1 !== undefined || f.value2 !== undefined || f.objectRelation !== undefined || f.comment !== undefined || f.type !== undefined || f.category !== undefined || f.toIds !== undefined || f.timestampFrom !== undefined || f.timestampTo !== undefined || f.objectNames !== undefined;
}

/**
 * Whether `searchall` is the only attribute-level filter of an event search: then an event also
 * matches by its own info or tags ({@link eventSearchAllMatch}), even without a visible attribute
 * (an empty event, or one whose attributes the viewer may not see).
 */
export function eventOnlySearchAll(f: SearchFilters): boolean {
  return f.searchAll !== undefined && !attributeFiltersBesidesSearchAll(f);
}

/** `searchall` on an event row alone: its info or its tags. */
export function eventSearchAllMatch(events: EEB, term: string, engine: SqlEngine): Expression<SqlBool> {
  const eb = events as unknown as AEB;
  const op = engine === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  return eb.or([sql<SqlBool>`events.info ${op} ${likePattern(term)} escape '\\'`, eventHasTag(term, engine)]);
}
