import type { EventReportRecord, EventReportRepository } from '@waggle/core';
import { asId, fromRow, fromRows, isUuid, mustExist, uuidForms, type RepoContext } from '../db/rows.js';

/** MISP event reports over SQL. */
export function eventReportRepository(ctx: RepoContext): EventReportRepository {
  const { db } = ctx;
  const withId = (r: EventReportRecord): EventReportRecord => ({ ...r, id: Number(r.id), event_id: Number(r.event_id) });
  async function getEventReport(ref: number | string): Promise<EventReportRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('event_reports').selectAll();
    let row: unknown;
    if (id !== undefined) row = await q.where('id', '=', id).executeTakeFirst();
    else if (typeof ref === 'string' && isUuid(ref)) row = await q.where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
    return row === undefined ? undefined : withId(fromRow<EventReportRecord>('event_reports', row));
  }
  return {
    async insertEventReport(report) {
      const row = await db.insertInto('event_reports').values(report).returningAll().executeTakeFirstOrThrow();
      return withId(fromRow<EventReportRecord>('event_reports', row));
    },
    getEventReport,
    async listEventReports(filter) {
      let q = db.selectFrom('event_reports').selectAll();
      if (filter.includeDeleted !== true) q = q.where('deleted', '=', false);
      if (filter.eventIds !== undefined) q = q.where('event_id', 'in', filter.eventIds.length > 0 ? [...filter.eventIds] : [-1]);
      return fromRows<EventReportRecord>('event_reports', await q.orderBy('id').execute()).map(withId);
    },
    async updateEventReport(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('event_reports').set(patch).where('id', '=', id).execute();
      return mustExist(await getEventReport(id), 'Event report', id);
    },
    async deleteEventReport(id) {
      await db.deleteFrom('event_reports').where('id', '=', id).execute();
    },
  };
}
