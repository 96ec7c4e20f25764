import { sql } from 'kysely';
import { correlationValues, ipRange, isIpType } from '@waggle/misp';
import type { AttributeCorrelation, AttributeRecord, CorrelationRepository, EventRecord, Viewer } from '@waggle/core';
import { chunks, fromRow, type RepoContext } from '../db/rows.js';
import { attributeVisible } from '../db/visibility.js';

/** The IP part of an IP-bearing attribute, if any. */
function ipPart(a: AttributeRecord): string | undefined {
  if (!isIpType(a.type)) return undefined;
  return a.type === 'domain|ip' ? a.value2 : a.value1;
}

/**
 * Correlation over SQL without a pairwise table: each attribute stores its
 * correlatable values once (`correlation_values`) and its IP range once
 * (`ip_ranges`); related events are found by index joins at read time, so
 * storage grows linearly with the number of attributes.
 */
export function correlationRepository(ctx: RepoContext): CorrelationRepository {
  const { db } = ctx;

  async function bumpCounts(values: readonly string[], delta: number): Promise<void> {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + delta);
    // A fixed order of row locks keeps concurrent transactions from deadlocking on PostgreSQL.
    const sorted = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const part of chunks(sorted, 1000)) {
      await db
        .insertInto('correlation_counts')
        .values(part.map(([value, count]) => ({ value, count })))
        .onConflict((oc) => oc.column('value').doUpdateSet({ count: sql`correlation_counts.count + excluded.count` }))
        .execute();
    }
  }

  /** Over-correlating values (seen more than `cap` times) are skipped. */
  const notOverCorrelating = (cap: number) => sql<boolean>`a.value not in (select value from correlation_counts where count > ${cap})`;

  return {
    async addCorrelations(attributes) {
      const values: { attribute_id: number; event_id: number; value: string }[] = [];
      const ranges: { attribute_id: number; event_id: number; family: number; ip_start: string; ip_end: string; is_cidr: boolean }[] = [];
      for (const a of attributes) {
        if (a.deleted || a.disable_correlation) continue;
        for (const value of correlationValues(a.type, a.value1, a.value2)) values.push({ attribute_id: a.id, event_id: a.event_id, value });
        const ip = ipPart(a);
        const range = ip === undefined ? undefined : ipRange(ip);
        if (range !== undefined) {
          ranges.push({ attribute_id: a.id, event_id: a.event_id, family: range.family, ip_start: range.start, ip_end: range.end, is_cidr: range.start !== range.end });
        }
      }
      for (const part of chunks(values, 3000)) await db.insertInto('correlation_values').values(part).execute();
      for (const part of chunks(ranges, 1500)) await db.insertInto('ip_ranges').values(part).execute();
      await bumpCounts(values.map((v) => v.value), 1);
    },
    async removeCorrelations(attributeIds) {
      for (const part of chunks(attributeIds, 2000)) {
        const rows = await db.selectFrom('correlation_values').select('value').where('attribute_id', 'in', part).execute();
        await bumpCounts(rows.map((r) => r.value), -1);
        await db.deleteFrom('correlation_values').where('attribute_id', 'in', part).execute();
        await db.deleteFrom('ip_ranges').where('attribute_id', 'in', part).execute();
      }
    },
    async relatedEvents(eventId, viewer, cap) {
      const exact = db
        .selectFrom('correlation_values as a')
        .innerJoin('correlation_values as b', (j) => j.onRef('b.value', '=', 'a.value').on('b.event_id', '!=', eventId))
        .innerJoin('attributes', 'attributes.id', 'b.attribute_id')
        .innerJoin('events', 'events.id', 'b.event_id')
        .select('events.id')
        .where('a.event_id', '=', eventId)
        .where(notOverCorrelating(cap))
        .where((eb) => attributeVisible(eb, viewer));
      const ids = new Set((await exact.execute()).map((r) => Number(r.id)));
      for (const r of await cidrPairs(ctx, 'a.event_id', [eventId], viewer)) ids.add(r.other_event_id);
      if (ids.size === 0) return [];
      const rows = await db.selectFrom('events').selectAll().where('id', 'in', [...ids]).orderBy('date', 'desc').orderBy('id', 'desc').execute();
      return rows.map((r) => fromRow<EventRecord>('events', r));
    },
    async attributeCorrelations(attributeIds, viewer, cap) {
      const out: AttributeCorrelation[] = [];
      for (const part of chunks(attributeIds, 1000)) {
        const rows = await db
          .selectFrom('correlation_values as a')
          .innerJoin('correlation_values as b', (j) => j.onRef('b.value', '=', 'a.value').onRef('b.event_id', '!=', 'a.event_id'))
          .innerJoin('attributes', 'attributes.id', 'b.attribute_id')
          .innerJoin('events', 'events.id', 'b.event_id')
          .selectAll('events')
          .select(['a.attribute_id as src_attribute_id', 'b.attribute_id as dst_attribute_id', 'a.value as corr_value'])
          .where('a.attribute_id', 'in', part)
          .where(notOverCorrelating(cap))
          .where((eb) => attributeVisible(eb, viewer))
          .execute();
        for (const r of rows as Record<string, unknown>[]) {
          const { src_attribute_id, dst_attribute_id, corr_value, ...event } = r;
          const ev = fromRow<EventRecord>('events', event);
          out.push({ attribute_id: Number(src_attribute_id), other_attribute_id: Number(dst_attribute_id), other_event_id: ev.id, other_event: ev, value: String(corr_value) });
        }
        out.push(...(await cidrPairs(ctx, 'a.attribute_id', part, viewer)));
      }
      return out;
    },
  };
}

/** A stored IP range. */
interface RangeRow {
  attribute_id: number;
  event_id: number;
  family: number;
  ip_start: string;
  ip_end: string;
  is_cidr: boolean;
}

const asRange = (r: Record<string, unknown>): RangeRow => ({
  attribute_id: Number(r.attribute_id),
  event_id: Number(r.event_id),
  family: Number(r.family),
  ip_start: String(r.ip_start),
  ip_end: String(r.ip_end),
  is_cidr: r.is_cidr === 1 || r.is_cidr === true || r.is_cidr === '1',
});

/**
 * CIDR containment pairs: a CIDR block and an address inside it, in different
 * events. Written as index range scans driven from the (few) CIDR rows, so the
 * plan does not depend on the engine's statistics; nested blocks do not pair.
 */
async function cidrPairs(ctx: RepoContext, column: 'a.event_id' | 'a.attribute_id', ids: readonly number[], viewer: Viewer): Promise<AttributeCorrelation[]> {
  const { db } = ctx;
  const own = (await db.selectFrom('ip_ranges as a').selectAll('a').where(column, 'in', [...ids]).execute()).map((r) => asRange(r as Record<string, unknown>));
  if (own.length === 0) return [];
  const pairs: { src: RangeRow; dst: RangeRow }[] = [];
  // Addresses inside one of our CIDR blocks.
  for (const a of own.filter((r) => r.is_cidr)) {
    const rows = await db.selectFrom('ip_ranges').selectAll().where('family', '=', a.family).where('ip_start', '>=', a.ip_start).where('ip_start', '<=', a.ip_end).where('is_cidr', '=', false).where('event_id', '!=', a.event_id).limit(10_000).execute();
    for (const r of rows) pairs.push({ src: a, dst: asRange(r as Record<string, unknown>) });
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
