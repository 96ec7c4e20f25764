import type { AttributeRepository, ObjectRecord, ObjectReferenceRecord, Viewer, SearchFilters } from '@waggle/core';
import { asId, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';
import { attributeConditions } from '../db/filters.js';
import { attributeVisible } from '../db/visibility.js';

export type ObjectPart = Pick<
  AttributeRepository,
  | 'insertObject' | 'getObject' | 'updateObject' | 'deleteObject' | 'listObjectsOfEvents' | 'searchObjects'
  | 'insertReference' | 'getReference' | 'updateReference' | 'deleteReference' | 'listReferencesOfObjects'
>;

function withoutPaging(f: SearchFilters): SearchFilters {
  const { limit: _limit, page: _page, ...rest } = f;
  return rest;
}

/** Objects and object references over SQL. */
export function objectRepository(ctx: RepoContext): ObjectPart {
  const { db, engine } = ctx;

  async function getObject(ref: number | string): Promise<ObjectRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('objects').selectAll();
    const row = id !== undefined ? await q.where('id', '=', id).executeTakeFirst()
      : typeof ref === 'string' && isUuid(ref) ? await q.where('uuid', '=', ref.toLowerCase()).executeTakeFirst() : undefined;
    return row === undefined ? undefined : fromRow<ObjectRecord>('objects', row);
  }

  async function getReference(ref: number | string): Promise<ObjectReferenceRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('object_references').selectAll();
    const row = id !== undefined ? await q.where('id', '=', id).executeTakeFirst()
      : typeof ref === 'string' && isUuid(ref) ? await q.where('uuid', '=', ref.toLowerCase()).executeTakeFirst() : undefined;
    return row === undefined ? undefined : fromRow<ObjectReferenceRecord>('object_references', row);
  }

  return {
    async insertObject(object) {
      const row = await db.insertInto('objects').values(object).returningAll().executeTakeFirstOrThrow();
      return fromRow<ObjectRecord>('objects', row);
    },
    getObject,
    async updateObject(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('objects').set(patch).where('id', '=', id).execute();
      return mustExist(await getObject(id), 'Object', id);
    },
    async deleteObject(id) {
      await db.deleteFrom('object_references').where('object_id', '=', id).execute();
      await db.deleteFrom('objects').where('id', '=', id).execute();
    },
    async listObjectsOfEvents(eventIds, { includeDeleted }) {
      if (eventIds.length === 0) return [];
      let q = db.selectFrom('objects').selectAll().where('event_id', 'in', [...eventIds]);
      if (!includeDeleted) q = q.where('deleted', '=', false);
      return fromRows<ObjectRecord>('objects', await q.orderBy('id').execute());
    },
    async searchObjects(filters: SearchFilters, viewer: Viewer) {
      const rows = await db
        .selectFrom('objects')
        .selectAll('objects')
        .where('objects.id', 'in', (sub) =>
          sub
            .selectFrom('attributes')
            .innerJoin('events', 'events.id', 'attributes.event_id')
            .select('attributes.object_id')
            .where('attributes.object_id', '!=', 0)
            .where((eb) => eb.and([attributeVisible(eb, viewer), ...attributeConditions(eb, withoutPaging(filters), engine)])),
        )
        .where('objects.deleted', '=', filters.deleted === true)
        .orderBy('objects.id')
        .execute();
      return fromRows<ObjectRecord>('objects', rows);
    },
    async insertReference(reference) {
      const row = await db.insertInto('object_references').values(reference).returningAll().executeTakeFirstOrThrow();
      return fromRow<ObjectReferenceRecord>('object_references', row);
    },
    getReference,
    async updateReference(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('object_references').set(patch).where('id', '=', id).execute();
      return mustExist(await getReference(id), 'Object reference', id);
    },
    async deleteReference(id) {
      await db.deleteFrom('object_references').where('id', '=', id).execute();
    },
    async listReferencesOfObjects(objectIds) {
      if (objectIds.length === 0) return [];
      const rows = await db.selectFrom('object_references').selectAll().where('object_id', 'in', [...objectIds]).orderBy('id').execute();
      return fromRows<ObjectReferenceRecord>('object_references', rows);
    },
  };
}
