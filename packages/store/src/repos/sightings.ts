import { sql } from 'kysely';
import type { SightingRecord, SightingRepository } from '@waggle/core';
import { asId, fromRows, isUuid, type RepoContext } from '../db/rows.js';

/** Sightings over SQL. */
export function sightingRepository(ctx: RepoContext): SightingRepository {
  const { db } = ctx;
  return {
    async insertSighting(sighting, recordedAt) {
      const row = await db.insertInto('sightings').values(sighting).returningAll().executeTakeFirstOrThrow();
      const at = recordedAt ?? sighting.date_sighting;
      // Never backwards: an old sighting arriving late must not hide newer ones from a sync cursor.
      await db
        .updateTable('events')
        .set({ sighting_timestamp: sql<number>`case when sighting_timestamp < ${at} then ${at} else sighting_timestamp end` })
        .where('id', '=', sighting.event_id)
        .execute();
      return { ...row, id: Number(row.id) } as SightingRecord;
    },
    async listSightings(filter) {
      let q = db.selectFrom('sightings').selectAll();
      if (filter.attributeIds !== undefined) q = q.where('attribute_id', 'in', filter.attributeIds.length > 0 ? [...filter.attributeIds] : [-1]);
      if (filter.eventIds !== undefined) q = q.where('event_id', 'in', filter.eventIds.length > 0 ? [...filter.eventIds] : [-1]);
      if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
      if (filter.orgIds?.include !== undefined) q = q.where('org_id', 'in', filter.orgIds.include.length > 0 ? [...filter.orgIds.include] : [-1]);
      if (filter.orgIds?.exclude !== undefined && filter.orgIds.exclude.length > 0) q = q.where('org_id', 'not in', [...filter.orgIds.exclude]);
      if (filter.types !== undefined) q = q.where('type', 'in', filter.types.length > 0 ? [...filter.types] : [-1]);
      if (filter.sources !== undefined) q = q.where('source', 'in', filter.sources.length > 0 ? [...filter.sources] : ['\u0000']);
      if (filter.uuids !== undefined) q = q.where('uuid', 'in', filter.uuids.length > 0 ? filter.uuids.map((u) => u.toLowerCase()) : ['']);
      if (filter.from !== undefined) q = q.where('date_sighting', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('date_sighting', '<=', filter.to);
      q = q.orderBy('id');
      if (filter.limit !== undefined) q = q.limit(filter.limit);
      return fromRows<SightingRecord>('sightings', await q.execute());
    },
    async deleteSighting(id) {
      await db.deleteFrom('sightings').where('id', '=', id).execute();
    },
    async getSighting(ref) {
      const id = asId(ref);
      const q = db.selectFrom('sightings').selectAll();
      if (id !== undefined) return (await q.where('id', '=', id).executeTakeFirst()) as SightingRecord | undefined;
      if (typeof ref === 'string' && isUuid(ref)) return (await q.where('uuid', '=', ref.toLowerCase()).executeTakeFirst()) as SightingRecord | undefined;
      return undefined;
    },
  };
}
