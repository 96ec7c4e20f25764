import type { AnalystDataRecord, AnalystDataRepository } from '@waggle/core';
import { asId, chunks, fromRow, isUuid, mustExist, uuidForms, type RepoContext } from '../db/rows.js';

/** MISP 2.5 analyst data (notes, opinions, relationships) over SQL: one table, a `kind` column. */
export function analystDataRepository(ctx: RepoContext): AnalystDataRepository {
  const { db } = ctx;
  const toRecord = (row: unknown): AnalystDataRecord => {
    const r = fromRow<AnalystDataRecord>('analyst_data', row);
    return { ...r, id: Number(r.id), distribution: Number(r.distribution) as AnalystDataRecord['distribution'], sharing_group_id: Number(r.sharing_group_id), opinion: Number(r.opinion) };
  };
  async function getAnalystData(ref: number | string): Promise<AnalystDataRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('analyst_data').selectAll();
    let row: unknown;
    if (id !== undefined) row = await q.where('id', '=', id).executeTakeFirst();
    else if (typeof ref === 'string' && isUuid(ref)) row = await q.where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }
  return {
    async insertAnalystData(record) {
      const row = await db.insertInto('analyst_data').values(record).returningAll().executeTakeFirstOrThrow();
      return toRecord(row);
    },
    getAnalystData,
    async listAnalystData(filter) {
      if (filter.objectUuids?.length === 0 || filter.uuids?.length === 0) return [];
      // Long UUID lists (an event's attributes) go in chunks: engines cap the parameters of one query.
      const groups = filter.objectUuids === undefined ? [undefined] : chunks([...filter.objectUuids], 1000);
      const out: AnalystDataRecord[] = [];
      for (const group of groups) {
        let q = db.selectFrom('analyst_data').selectAll();
        if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
        if (group !== undefined) q = q.where('object_uuid', 'in', group);
        if (filter.uuids !== undefined) q = q.where('uuid', 'in', [...filter.uuids]);
        out.push(...(await q.orderBy('id').execute()).map(toRecord));
      }
      return groups.length > 1 ? out.sort((a, b) => a.id - b.id) : out;
    },
    async updateAnalystData(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('analyst_data').set(patch).where('id', '=', id).execute();
      return mustExist(await getAnalystData(id), 'Analyst data', id);
    },
    async deleteAnalystData(ids) {
      for (const group of chunks([...ids], 1000)) await db.deleteFrom('analyst_data').where('id', 'in', group).execute();
    },
  };
}
