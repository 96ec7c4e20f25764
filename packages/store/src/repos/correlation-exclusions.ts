import type { CorrelationExclusionRecord, CorrelationExclusionRepository } from '@waggle/core';
import { asId, fromRow, fromRows, type RepoContext } from '../db/rows.js';

/** MISP's correlation exclusions over SQL. */
export function correlationExclusionRepository(ctx: RepoContext): CorrelationExclusionRepository {
  const { db } = ctx;
  const withId = (r: CorrelationExclusionRecord): CorrelationExclusionRecord => ({ ...r, id: Number(r.id) });
  return {
    async insertCorrelationExclusion(exclusion) {
      const row = await db.insertInto('correlation_exclusions').values(exclusion).returningAll().executeTakeFirstOrThrow();
      return withId(fromRow<CorrelationExclusionRecord>('correlation_exclusions', row));
    },
    async getCorrelationExclusion(ref) {
      const id = asId(ref);
      const q = db.selectFrom('correlation_exclusions').selectAll();
      const row = id !== undefined ? await q.where('id', '=', id).executeTakeFirst() : await q.where('value', '=', String(ref)).executeTakeFirst();
      return row === undefined ? undefined : withId(fromRow<CorrelationExclusionRecord>('correlation_exclusions', row));
    },
    async listCorrelationExclusions() {
      return fromRows<CorrelationExclusionRecord>('correlation_exclusions', await db.selectFrom('correlation_exclusions').selectAll().orderBy('id').execute()).map(withId);
    },
    async deleteCorrelationExclusion(id) {
      await db.deleteFrom('correlation_exclusions').where('id', '=', id).execute();
    },
  };
}
