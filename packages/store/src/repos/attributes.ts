import { sql } from 'kysely';
import type { AttributeRecord, AttributeRepository, New, SearchFilters, Viewer } from '@waggle/core';
import { asId, chunks, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';
import { attributeConditions } from '../db/filters.js';
import { attributeVisible } from '../db/visibility.js';
import { attributeKeyFilter, attributeKeyRows } from '../db/attribute-keys.js';
import { duplicateUuid } from '../db/uuid-guard.js';
import { objectRepository, type ObjectPart } from './objects.js';

const toAttribute = (row: unknown): AttributeRecord => fromRow<AttributeRecord>('attributes', row);

// 17 columns per row: 900 rows stay well below SQLite's 32,766 bound parameters.
const INSERT_CHUNK = 900;

/** Attributes (and, through objectRepository, objects and references) over SQL. */
export function attributeRepository(ctx: RepoContext): AttributeRepository {
  const { db, engine } = ctx;

  async function getAttribute(ref: number | string): Promise<AttributeRecord | undefined> {
    const id = asId(ref);
    let q = db.selectFrom('attributes').selectAll();
    if (id !== undefined) q = q.where('id', '=', id);
    else if (typeof ref === 'string' && isUuid(ref)) {
      const uuid = ref.toLowerCase();
      const keyed = attributeKeyFilter(engine, 'attributes.id', 'uuid', [uuid]);
      q = q.where('uuid', '=', uuid);
      if (keyed !== undefined) q = q.where(keyed);
    } else return undefined;
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : toAttribute(row);
  }

  /**
   * SQLite outside a write transaction (no UUID guard): the exact check the unique index
   * made before attribute UUIDs moved to the key table (attribute-keys.ts).
   */
  async function assertUuidsFree(uuids: readonly string[]): Promise<void> {
    const seen = new Set<string>();
    const repeated = uuids.find((u) => seen.size === seen.add(u).size);
    if (repeated !== undefined) throw duplicateUuid(repeated);
    for (const part of chunks(uuids, INSERT_CHUNK)) {
      const keyed = attributeKeyFilter(engine, 'attributes.id', 'uuid', part);
      if (keyed === undefined) continue;
      const taken = await db.selectFrom('attributes').select('uuid').where(keyed).where('uuid', 'in', part).executeTakeFirst();
      if (taken !== undefined) throw duplicateUuid(taken.uuid);
    }
  }

  function searchQuery(filters: SearchFilters, viewer: Viewer) {
    return db
      .selectFrom('attributes')
      .innerJoin('events', 'events.id', 'attributes.event_id')
      .where((eb) => eb.and([attributeVisible(eb, viewer), ...attributeConditions(eb, filters, engine)]));
  }

  /** A search in another order than by id: pages of the ordered rows (ties by id, the same way), memory bounded by `batchSize`. */
  async function* orderedSearch(filters: SearchFilters, viewer: Viewer, order: NonNullable<SearchFilters['attributeOrder']>, batchSize: number): AsyncIterable<AttributeRecord[]> {
    let remaining = filters.limit ?? Number.POSITIVE_INFINITY;
    let offset = filters.limit !== undefined ? ((filters.page ?? 1) - 1) * filters.limit : 0;
    while (remaining > 0) {
      const take = Math.min(batchSize, remaining);
      const rows = await searchQuery(filters, viewer).selectAll('attributes').orderBy(`attributes.${order.column}`, order.direction).orderBy('attributes.id', order.direction).limit(take).offset(offset).execute();
      if (rows.length === 0) return;
      offset += rows.length;
      remaining -= rows.length;
      yield fromRows<AttributeRecord>('attributes', rows);
      if (rows.length < take) return;
    }
  }

  // Object.assign rather than a spread into the literal: cheaper to build, once per write batch (see createRepositories).
  const own: Omit<AttributeRepository, keyof ObjectPart> = {
    async insertAttributes(attributes: readonly New<AttributeRecord>[]) {
      const out: AttributeRecord[] = [];
      if (ctx.native !== undefined && attributes.length > 0) {
        const columns = new Set<string>();
        for (const a of attributes) for (const k of Object.keys(a)) columns.add(k);
        const uuids = attributes.map((a) => a.uuid);
        ctx.uuidGuard?.assertNew(uuids);
        const ids = ctx.native.insert('attributes', [...columns], attributes as readonly Record<string, unknown>[]);
        const stored = attributes.map((a, i) => ({ ...a, id: ids[i] as number }));
        ctx.native.insert('attribute_keys', ['rowid', 'k'], attributeKeyRows(stored));
        ctx.uuidGuard?.added(uuids);
        return stored;
      }
      if (engine === 'sqlite') await assertUuidsFree(attributes.map((a) => a.uuid));
      for (const part of chunks(attributes, INSERT_CHUNK)) {
        const rows = await db.insertInto('attributes').values(part).returning(['id']).execute();
        // Both engines return ids of a multi-row insert in VALUES order.
        rows.forEach((r, i) => out.push({ ...(part[i] as New<AttributeRecord>), id: Number(r.id) }));
      }
      if (engine === 'sqlite') {
        // Only outside a write transaction (no native handle); the keys still go with the rows.
        for (const part of chunks(attributeKeyRows(out), INSERT_CHUNK)) await sql`insert into attribute_keys (rowid, k) values ${sql.join(part.map((r) => sql`(${r.rowid}, ${r.k})`))}`.execute(db);
      }
      return out;
    },
    getAttribute,
    async updateAttribute(id, patch) {
      if (patch.uuid !== undefined && ctx.uuidGuard !== undefined && (await getAttribute(id))?.uuid !== patch.uuid) {
        ctx.uuidGuard.assertNew([patch.uuid]);
        ctx.uuidGuard.added([patch.uuid]);
      }
      if (Object.keys(patch).length > 0) await db.updateTable('attributes').set(patch).where('id', '=', id).execute();
      return mustExist(await getAttribute(id), 'Attribute', id);
    },
    async deleteAttribute(id) {
      await db.deleteFrom('ip_ranges').where('attribute_id', '=', id).execute();
      await db.deleteFrom('attribute_tags').where('attribute_id', '=', id).execute();
      await db.deleteFrom('sightings').where('attribute_id', '=', id).execute();
      await db.deleteFrom('shadow_attributes').where('old_id', '=', id).execute();
      await db.deleteFrom('attribute_data').where('attribute_id', '=', id).execute();
      await db.deleteFrom('attributes').where('id', '=', id).execute();
    },
    async listAttributesOfEvents(eventIds, { includeDeleted }) {
      if (eventIds.length === 0) return [];
      let q = db.selectFrom('attributes').selectAll().where('event_id', 'in', [...eventIds]);
      if (!includeDeleted) q = q.where('deleted', '=', false);
      return fromRows<AttributeRecord>('attributes', await q.orderBy('id').execute());
    },
    async *searchAttributes(filters, viewer, batchSize = 5000) {
      if (filters.attributeOrder !== undefined) {
        yield* orderedSearch(filters, viewer, filters.attributeOrder, batchSize);
        return;
      }
      // Keyset pagination on id: memory stays bounded whatever the result size.
      const limit = filters.limit;
      let remaining = limit ?? Number.POSITIVE_INFINITY;
      let offset = limit !== undefined ? ((filters.page ?? 1) - 1) * limit : 0;
      let lastId = 0;
      while (remaining > 0) {
        const take = Math.min(batchSize, remaining);
        let q = searchQuery(filters, viewer).selectAll('attributes').where('attributes.id', '>', lastId).orderBy('attributes.id').limit(take);
        if (offset > 0) q = q.offset(offset);
        const rows = await q.execute();
        offset = 0;
        if (rows.length === 0) return;
        const batch = fromRows<AttributeRecord>('attributes', rows);
        lastId = (batch[batch.length - 1] as AttributeRecord).id;
        remaining -= batch.length;
        yield batch;
        if (rows.length < take) return;
      }
    },
    async countAttributes(filters, viewer) {
      const row = await searchQuery(filters, viewer).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countAttributesBy(column, viewer) {
      const key = `attributes.${column}` as const;
      const rows = await searchQuery({}, viewer).select([`${key} as k`, sql<number>`count(*)`.as('n')]).groupBy(key).execute();
      return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
    },
  };
  return Object.assign(objectRepository(ctx), own);
}
