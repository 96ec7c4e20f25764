import type { SightingRecord, SightingRepository } from '@waggle/core';
import { asId, fromRows, isUuid, type RepoContext } from '../db/rows.js';

/** Sightings over SQL. */
export function sightingRepository(ctx: RepoContext): SightingRepository {
  const { db } = ctx;
  return {
    async insertSighting(sighting) {
      const row = await db.insertInto('sightings').values(sighting).returningAll().executeTakeFirstOrThrow();
      await db.updateTable('events').set({ sighting_timestamp: sighting.date_sighting }).where('id', '=', sighting.event_id).execute();
      return { ...row, id: Number(row.id) } as SightingRecord;
    },
    async listSightings(filter) {
      let q = db.selectFrom('sightings').selectAll();
      if (filter.attributeIds !== undefined) q = q.where('attribute_id', 'in', filter.attributeIds.length > 0 ? [...filter.attributeIds] : [-1]);
      if (filter.eventIds !== undefined) q = q.where('event_id', 'in', filter.eventIds.length > 0 ? [...filter.eventIds] : [-1]);
      if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
      return fromRows<SightingRecord>('sightings', await q.orderBy('id').execute());
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
