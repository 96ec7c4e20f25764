import type { ShadowAttributeRecord, ShadowAttributeRepository } from '@waggle/core';
import { asId, fromRow, fromRows, isUuid, uuidForms, type RepoContext } from '../db/rows.js';

/** Proposals (MISP shadow attributes) over SQL. */
export function shadowAttributeRepository(ctx: RepoContext): ShadowAttributeRepository {
  const { db } = ctx;
  return {
    async insertShadowAttribute(proposal) {
      const row = await db.insertInto('shadow_attributes').values(proposal).returningAll().executeTakeFirstOrThrow();
      return { ...fromRow<ShadowAttributeRecord>('shadow_attributes', row), id: Number(row.id) };
    },
    async getShadowAttribute(ref) {
      const id = asId(ref);
      const q = db.selectFrom('shadow_attributes').selectAll();
      let row: unknown;
      if (id !== undefined) row = await q.where('id', '=', id).executeTakeFirst();
      else if (typeof ref === 'string' && isUuid(ref)) row = await q.where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
      if (row === undefined) return undefined;
      const record = fromRow<ShadowAttributeRecord>('shadow_attributes', row);
      return { ...record, id: Number(record.id) };
    },
    async listShadowAttributes(filter) {
      let q = db.selectFrom('shadow_attributes').selectAll().where('deleted', '=', false);
      if (filter.eventIds !== undefined) q = q.where('event_id', 'in', filter.eventIds.length > 0 ? [...filter.eventIds] : [-1]);
      if (filter.oldIds !== undefined) q = q.where('old_id', 'in', filter.oldIds.length > 0 ? [...filter.oldIds] : [-1]);
      const rows = fromRows<ShadowAttributeRecord>('shadow_attributes', await q.orderBy('id').execute());
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },
    async deleteShadowAttribute(id) {
      await db.deleteFrom('shadow_attributes').where('id', '=', id).execute();
    },
  };
}
