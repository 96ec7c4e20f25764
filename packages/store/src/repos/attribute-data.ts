import type { AttributeDataRepository } from '@waggle/core';
import { chunks, type RepoContext } from '../db/rows.js';

// Two parameters per row; ids alone stay far below SQLite's 32,766 bound parameters.
const PUT_CHUNK = 500;
const ID_CHUNK = 5000;

/** Attachment content (MISP `data`) over SQL, one row per attribute. */
export function attributeDataRepository(ctx: RepoContext): AttributeDataRepository {
  const { db } = ctx;
  return {
    async putAttributeData(rows) {
      for (const part of chunks(rows, PUT_CHUNK)) {
        await db
          .insertInto('attribute_data')
          .values(part.map((r) => ({ attribute_id: r.attribute_id, data: r.data })))
          .onConflict((oc) => oc.column('attribute_id').doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
          .execute();
      }
    },
    async listAttributeData(attributeIds) {
      const out = new Map<number, string>();
      for (const part of chunks([...new Set(attributeIds)], ID_CHUNK)) {
        const rows = await db.selectFrom('attribute_data').select(['attribute_id', 'data']).where('attribute_id', 'in', part).execute();
        for (const r of rows) out.set(Number(r.attribute_id), r.data);
      }
      return out;
    },
    async deleteAttributeData(attributeIds) {
      for (const part of chunks([...new Set(attributeIds)], ID_CHUNK)) await db.deleteFrom('attribute_data').where('attribute_id', 'in', part).execute();
    },
  };
}
