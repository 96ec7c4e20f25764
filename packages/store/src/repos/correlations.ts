import { sql, type SqlBool } from 'kysely';
import { IP_TYPES, correlationValues, ipCorrelationValue, ipRange } from '@waggle/misp';
import type { AttributeCorrelation, AttributeRecord, IpRangeRecord, CorrelationRepository, EventRecord, Viewer } from '@waggle/core';
import { chunks, fromRow, type RepoContext } from '../db/rows.js';
import { attributeVisible } from '../db/visibility.js';
import { ipBlockFilter, valueKey } from '../db/attribute-keys.js';


/**
 * The IP ranges of attributes: one for each that holds an IP address or block. `blocksOnly`:
 * blocks (CIDR) only, as SQLite stores them in `ip_ranges` (single addresses are keys there,
 * db/attribute-keys.ts).
 */
export function ipRangeRows(attributes: readonly Pick<AttributeRecord, 'id' | 'event_id' | 'type' | 'value1' | 'value2'>[], options: { readonly blocksOnly?: boolean } = {}): RangeRow[] {
  const rows: RangeRow[] = [];
  for (const a of attributes) {
    const ip = ipCorrelationValue(a.type, a.value1, a.value2);
    const range = ip === undefined ? undefined : ipRange(ip);
    if (range !== undefined && (options.blocksOnly !== true || range.start !== range.end)) {
      rows.push({ attribute_id: a.id, event_id: a.event_id, family: range.family, ip_start: range.start, ip_end: range.end, is_cidr: range.start !== range.end });
    }
  }
  return rows;
}

/** An attribute whose values are looked for elsewhere. */
interface Source {
  readonly id: number;
  readonly event_id: number;
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
}

/** A pair found by value, before the other side's event is loaded. */
interface ValuePair {
  readonly src: number;
  readonly dst: number;
  readonly dstEvent: number;
  readonly value: string;
}

const VALUE_CHUNK = 500;

/** MISP's correlation exclusions as read for one request: whether there are any, and the test. */
interface Exclusions {
  readonly any: boolean;
  readonly test: (value: string) => boolean;
}

/**
 * A test for MISP's correlation exclusions: a value never correlates when it equals an
 * exclusion, or matches one with a leading and/or trailing `%` (case-insensitively, as MISP's
 * `LIKE` on its default collation).
 */
export function exclusionMatcher(exclusions: readonly string[]): (value: string) => boolean {
  if (exclusions.length === 0) return () => false;
  const exact = new Set<string>();
  const patterns: { start: boolean; end: boolean; core: string }[] = [];
  for (const e of exclusions) {
    const start = e.startsWith('%');
    const end = e.length > 1 && e.endsWith('%');
    if (!start && !end) exact.add(e);
    else patterns.push({ start, end, core: e.slice(start ? 1 : 0, end ? -1 : undefined).toLowerCase() });
  }
  return (value) => {
    if (exact.has(value)) return true;
    const v = value.toLowerCase();
    return patterns.some((p) => (p.start && p.end ? v.includes(p.core) : p.start ? v.endsWith(p.core) : v.startsWith(p.core)));
  };
}

/**
 * Correlation over SQL without a pairwise table or any write-time work for
 * values: the value1/value2 indexes that search needs anyway find the
 * attributes sharing a value at read time, and MISP's correlation rules
 * (types, halves of composite types, disabled or deleted attributes and
 * events) are applied then. Only IP ranges are stored for CIDR containment (on
 * PostgreSQL `ip_ranges` holds every IP attribute, so CIDR search finds them all; on
 * SQLite it holds the blocks, and single addresses are keys of `attribute_keys`),
 * whose rules are applied at read time too. Storage stays linear and ingest pays nearly nothing.
 */
export function correlationRepository(ctx: RepoContext): CorrelationRepository {
  const { db } = ctx;

  /** Live attributes with correlation on, in events with correlation on: the only ones that correlate. */
  const correlating = () =>
    db
      .selectFrom('attributes')
      .innerJoin('events', 'events.id', 'attributes.event_id')
      .select(['attributes.id', 'attributes.event_id', 'attributes.type', 'attributes.value1', 'attributes.value2'])
      .where('attributes.deleted', '=', false)
      .where('attributes.disable_correlation', '=', false)
      .where('events.disable_correlation', '=', false);

  /** Correlating attributes of an event, or with the given ids. */
  async function sources(where: { eventId: number } | { ids: readonly number[] }): Promise<Source[]> {
    let q = correlating();
    q = 'eventId' in where ? q.where('attributes.event_id', '=', where.eventId) : q.where('attributes.id', 'in', [...where.ids]);
    return (await q.execute()).map((r) => ({ id: Number(r.id), event_id: Number(r.event_id), type: r.type, value1: r.value1, value2: r.value2 }));
  }

  /**
   * How many attributes hold each value in value2, counting at most `limit` per value.
   * value2 is empty except in composite types. Compared with a correlated parameter, PostgreSQL's
   * statistics for such a column ("one distinct value") make a LIMITed sequential scan look cheap,
   * and an event view took 7 s on 100,000 attributes (docs/benchmarks.md, source reputation). So the
   * few values that occur in value2 at all are found first with constants, then counted.
   */
  async function value2Counts(part: readonly string[], limit: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const inValue2 = await db.selectFrom('attributes').select('value2').distinct().where('value2', 'in', [...part]).execute();
    for (const { value2 } of inValue2) {
      const r = await sql<{ n: number | string }>`select count(*) as n from (select 1 from attributes y where y.value2 = ${value2} limit ${limit}) c2`.execute(db);
      counts.set(value2, Number(r.rows[0]?.n ?? 0));
    }
    return counts;
  }

  /**
   * Values held by more than `cap` attributes (MISP's over-correlation limit).
   * Each count stops at cap + 1 index entries, so a value held by a million
   * attributes costs no more than one held by cap + 1.
   */
  async function overCorrelating(part: readonly string[], cap: number): Promise<Set<string>> {
    const limit = cap + 1;
    const list = sql.join(part.map((v) => sql`(${v})`));
    const rows = await sql<{ value: string; n: number | string }>`
      with v(value) as (values ${list})
      select v.value as value, (select count(*) from (select 1 from attributes x where x.value1 = v.value limit ${limit}) c1) as n
      from v`.execute(db);
    const counts = new Map(rows.rows.map((r) => [r.value, Number(r.n)] as const));
    for (const [value, n] of await value2Counts(part, limit)) counts.set(value, (counts.get(value) ?? 0) + n);
    return new Set([...counts].filter(([, n]) => n > cap).map(([value]) => value));
  }

  /**
   * SQLite: the holders of each value (in value1 or value2), at most `limit` per value, with whether
   * each correlates and is visible. One key-table lookup per value (attribute-keys.ts: both halves
   * share one token space) serves both the over-correlation count and the pairs, where two would
   * cost twice as much: a lookup in the FTS5 table costs tens of microseconds, a B-tree lookup a few.
   * The lookup drives the join and stops after `limit` rows, so a value held by a million attributes
   * costs no more than one held by cap + 1.
   */
  async function valueHolders(part: readonly string[], limit: number, viewer: Viewer) {
    const list = JSON.stringify(part.map((v) => [v, valueKey(v)]));
    return db
      .selectFrom(sql<{ value: string }>`json_each(${list})`.as('v'))
      .innerJoin('attributes', (join) => join.on(sql<SqlBool>`attributes.id in (select f.rowid from attribute_keys f join attributes y on y.id = f.rowid
        where f.attribute_keys match json_extract(v.value, '$[1]') and (y.value1 = json_extract(v.value, '$[0]') or y.value2 = json_extract(v.value, '$[0]')) limit ${limit})`))
      .innerJoin('events', 'events.id', 'attributes.event_id')
      .select(['attributes.id', 'attributes.event_id', 'attributes.type', 'attributes.value1', 'attributes.value2'])
      .select(sql<string>`json_extract(v.value, '$[0]')`.as('matched'))
      .select((eb) => eb.case().when(eb.and([
        eb('attributes.deleted', '=', false), eb('attributes.disable_correlation', '=', false), eb('events.disable_correlation', '=', false), attributeVisible(eb, viewer),
      ])).then(1).else(0).end().as('ok'))
      .execute();
  }

  /** The current exclusions (a small table), read once per correlation request and handed down. */
  async function exclusions(): Promise<Exclusions> {
    const values = (await db.selectFrom('correlation_exclusions').select('value').execute()).map((r) => r.value);
    return { any: values.length > 0, test: exclusionMatcher(values) };
  }

  /** CIDR correlations whose either side holds an excluded value, removed. */
  async function withoutExcluded(list: AttributeCorrelation[], excluded: Exclusions): Promise<AttributeCorrelation[]> {
    if (list.length === 0 || !excluded.any) return list;
    const isExcluded = excluded.test;
    const ids = [...new Set(list.flatMap((c) => [c.attribute_id, c.other_attribute_id]))];
    const values = new Map<number, string[]>();
    for (const part of chunks(ids, 1000)) {
      for (const r of await db.selectFrom('attributes').select(['id', 'value1', 'value2']).where('id', 'in', part).execute()) values.set(Number(r.id), [r.value1, r.value2]);
    }
    const hit = (id: number): boolean => (values.get(id) ?? []).some((v) => v !== '' && isExcluded(v));
    return list.filter((c) => !isExcluded(c.value) && !hit(c.attribute_id) && !hit(c.other_attribute_id));
  }

  /** Pairs (source attribute, visible attribute of another event) sharing a correlatable value. */
  async function valuePairs(srcs: readonly Source[], viewer: Viewer, cap: number, excluded: Exclusions): Promise<ValuePair[]> {
    const isExcluded = excluded.test;
    const byValue = new Map<string, Source[]>();
    for (const s of srcs) {
      for (const v of correlationValues(s.type, s.value1, s.value2)) {
        if (isExcluded(v)) continue;
        const list = byValue.get(v);
        if (list === undefined) byValue.set(v, [s]);
        else list.push(s);
      }
    }
    if (byValue.size === 0) return [];
    const pairs: ValuePair[] = [];
    const seen = new Set<string>();
    const addPairs = (r: { id: unknown; event_id: unknown; type: string; value1: string; value2: string }, wanted: ReadonlySet<string>): void => {
      const dst = Number(r.id);
      const dstEvent = Number(r.event_id);
      for (const v of correlationValues(r.type, r.value1, r.value2)) {
        if (!wanted.has(v)) continue;
        for (const s of byValue.get(v) ?? []) {
          const key = `${String(s.id)}:${String(dst)}`;
          if (s.event_id === dstEvent || seen.has(key)) continue;
          seen.add(key);
          pairs.push({ src: s.id, dst, dstEvent, value: v });
        }
      }
    };
    for (const part of chunks([...byValue.keys()], VALUE_CHUNK)) {
      if (ctx.engine === 'sqlite') {
        const holders = await valueHolders(part, cap + 1, viewer);
        const counts = new Map<string, number>();
        for (const h of holders) counts.set(h.matched, (counts.get(h.matched) ?? 0) + 1);
        const wanted = new Set(part.filter((v) => (counts.get(v) ?? 0) <= cap));
        for (const h of holders) if (Number(h.ok) === 1 && wanted.has(h.matched)) addPairs(h, wanted);
        continue;
      }
      const over = await overCorrelating(part, cap);
      const wanted = new Set(part.filter((v) => !over.has(v)));
      if (wanted.size === 0) continue;
      for (const r of await correlating().where('attributes.value1', 'in', [...wanted]).where((eb) => attributeVisible(eb, viewer)).execute()) addPairs(r, wanted);
      for (const r of await correlating().where('attributes.value2', 'in', [...wanted]).where((eb) => attributeVisible(eb, viewer)).execute()) addPairs(r, wanted);
    }
    return pairs;
  }

  async function eventsById(ids: readonly number[]): Promise<Map<number, EventRecord>> {
    const out = new Map<number, EventRecord>();
    for (const part of chunks([...new Set(ids)], 1000)) {
      for (const r of await db.selectFrom('events').selectAll().where('id', 'in', part).execute()) {
        const e = fromRow<EventRecord>('events', r);
        out.set(e.id, e);
      }
    }
    return out;
  }

  return {
    async addIpRanges(attributes) {
      const ranges = ipRangeRows(attributes, { blocksOnly: ctx.engine === 'sqlite' });
      if (ctx.native !== undefined) {
        if (ranges.length > 0) ctx.native.insert('ip_ranges', RANGE_COLUMNS, ranges);
        return;
      }
      for (const part of chunks(ranges, 1500)) await db.insertInto('ip_ranges').values(part).execute();
    },
    async removeIpRanges(attributeIds) {
      for (const part of chunks(attributeIds, 2000)) await db.deleteFrom('ip_ranges').where('attribute_id', 'in', part).execute();
    },
    async relatedEvents(eventId, viewer, cap) {
      const excluded = await exclusions();
      const ids = new Set((await valuePairs(await sources({ eventId }), viewer, cap, excluded)).map((p) => p.dstEvent));
      for (const r of await withoutExcluded(await cidrPairs(ctx, 'event', [eventId], viewer), excluded)) ids.add(r.other_event_id);
      if (ids.size === 0) return [];
      const rows = await db.selectFrom('events').selectAll().where('id', 'in', [...ids]).orderBy('date', 'desc').orderBy('id', 'desc').execute();
      return rows.map((r) => fromRow<EventRecord>('events', r));
    },
    async attributeCorrelations(attributeIds, viewer, cap) {
      const out: AttributeCorrelation[] = [];
      if (attributeIds.length === 0) return out;
      const excluded = await exclusions();
      for (const part of chunks(attributeIds, 1000)) {
        const pairs = await valuePairs(await sources({ ids: part }), viewer, cap, excluded);
        const events = await eventsById(pairs.map((p) => p.dstEvent));
        for (const p of pairs) {
          const ev = events.get(p.dstEvent);
          if (ev !== undefined) out.push({ attribute_id: p.src, other_attribute_id: p.dst, other_event_id: ev.id, other_event: ev, value: p.value });
        }
        out.push(...(await withoutExcluded(await cidrPairs(ctx, 'attribute', part, viewer), excluded)));
      }
      return out;
    },
  };
}

/** A stored IP range. */
type RangeRow = Omit<IpRangeRecord, 'id'>;
const RANGE_COLUMNS = ['attribute_id', 'event_id', 'family', 'ip_start', 'ip_end', 'is_cidr'] as const;

const asRange = (r: Record<string, unknown>): RangeRow => ({
  attribute_id: Number(r.attribute_id),
  event_id: Number(r.event_id),
  family: Number(r.family),
  ip_start: String(r.ip_start),
  ip_end: String(r.ip_end),
  is_cidr: r.is_cidr === 1 || r.is_cidr === true || r.is_cidr === '1',
});

/** Single addresses of other events inside block `a` (at most 10,000): from `ip_ranges` on PostgreSQL, from the keys on SQLite. */
async function addressesInside(ctx: RepoContext, a: RangeRow): Promise<RangeRow[]> {
  const { db } = ctx;
  const keyed = ipBlockFilter(ctx.engine, 'attributes.id', { family: a.family as 4 | 6, start: a.ip_start, end: a.ip_end });
  if (keyed === undefined) {
    const rows = await db.selectFrom('ip_ranges').selectAll().where('family', '=', a.family).where('ip_start', '>=', a.ip_start).where('ip_start', '<=', a.ip_end).where('is_cidr', '=', false).where('event_id', '!=', a.event_id).limit(10_000).execute();
    return rows.map((r) => asRange(r as Record<string, unknown>));
  }
  const rows = await db.selectFrom('attributes').select(['id', 'event_id', 'type', 'value1', 'value2']).where(keyed).where('event_id', '!=', a.event_id).limit(10_000).execute();
  // The keys hold single addresses only; the ranges are checked again, as a B-tree range scan would.
  return ipRangeRows(rows.map((r) => ({ id: Number(r.id), event_id: Number(r.event_id), type: r.type, value1: r.value1, value2: r.value2 })))
    .filter((r) => !r.is_cidr && r.family === a.family && r.ip_start >= a.ip_start && r.ip_start <= a.ip_end);
}

/**
 * CIDR containment pairs: a CIDR block and an address inside it, in different
 * events. Written as index range scans driven from the (few) CIDR rows, so the
 * plan does not depend on the engine's statistics; nested blocks do not pair.
 */
async function cidrPairs(ctx: RepoContext, column: 'event' | 'attribute', ids: readonly number[], viewer: Viewer): Promise<AttributeCorrelation[]> {
  const { db } = ctx;
  // Only live attributes that correlate, in events that correlate, pair (MISP's rules).
  const rows = await db
    .selectFrom('attributes as x')
    .innerJoin('events as e', 'e.id', 'x.event_id')
    .select(['x.id', 'x.event_id', 'x.type', 'x.value1', 'x.value2'])
    .where(column === 'event' ? 'x.event_id' : 'x.id', 'in', [...ids])
    .where('x.type', 'in', [...IP_TYPES])
    .where('x.deleted', '=', false)
    .where('x.disable_correlation', '=', false)
    .where('e.disable_correlation', '=', false)
    .execute();
  const own = ipRangeRows(rows.map((r) => ({ id: Number(r.id), event_id: Number(r.event_id), type: r.type, value1: r.value1, value2: r.value2 })));
  if (own.length === 0) return [];
  const pairs: { src: RangeRow; dst: RangeRow }[] = [];
  // Addresses inside one of our CIDR blocks.
  for (const a of own.filter((r) => r.is_cidr)) {
    for (const r of await addressesInside(ctx, a)) pairs.push({ src: a, dst: r });
  }
  // CIDR blocks (of other events) around our addresses.
  const addresses = own.filter((r) => !r.is_cidr);
  if (addresses.length > 0) {
    const blocks = (await db.selectFrom('ip_ranges').selectAll().where('is_cidr', '=', true).execute()).map((r) => asRange(r as Record<string, unknown>));
    for (const a of addresses) {
      for (const b of blocks) {
        if (b.family === a.family && b.event_id !== a.event_id && b.ip_start <= a.ip_start && b.ip_end >= a.ip_end) pairs.push({ src: a, dst: b });
      }
    }
  }
  if (pairs.length === 0) return [];
  const visible = new Map<number, Record<string, unknown>>();
  for (const part of chunks([...new Set(pairs.map((p) => p.dst.attribute_id))], 1000)) {
    const rows = await db
      .selectFrom('attributes')
      .innerJoin('events', 'events.id', 'attributes.event_id')
      .selectAll('events')
      .select(['attributes.id as dst_attribute_id', 'attributes.value1 as corr_value'])
      .where('attributes.id', 'in', part)
      .where('attributes.deleted', '=', false)
      .where('attributes.disable_correlation', '=', false)
      .where('events.disable_correlation', '=', false)
      .where((eb) => attributeVisible(eb, viewer))
      .execute();
    for (const r of rows as Record<string, unknown>[]) visible.set(Number(r.dst_attribute_id), r);
  }
  const seen = new Set<string>();
  const out: AttributeCorrelation[] = [];
  for (const { src, dst } of pairs) {
    const row = visible.get(dst.attribute_id);
    const key = `${src.attribute_id}:${dst.attribute_id}`;
    if (row === undefined || seen.has(key)) continue;
    seen.add(key);
    const { dst_attribute_id: _d, corr_value, ...event } = row;
    const ev = fromRow<EventRecord>('events', event);
    out.push({ attribute_id: src.attribute_id, other_attribute_id: dst.attribute_id, other_event_id: ev.id, other_event: ev, value: String(corr_value) });
  }
  return out;
}
