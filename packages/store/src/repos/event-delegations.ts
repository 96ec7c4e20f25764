import type { EventDelegationRecord, EventDelegationRepository } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';

/** PostgreSQL returns bigint columns as strings: every integer column back to a number. */
function record(row: Record<string, unknown>): EventDelegationRecord {
  return {
    id: Number(row.id),
    org_id: Number(row.org_id),
    requester_org_id: Number(row.requester_org_id),
    event_id: Number(row.event_id),
    message: String(row.message ?? ''),
    distribution: Number(row.distribution),
    sharing_group_id: Number(row.sharing_group_id),
  };
}

/** MISP's event delegations over SQL. */
export function eventDelegationRepository(ctx: RepoContext): EventDelegationRepository {
  const { db } = ctx;
  return {
    async insertEventDelegation(delegation) {
      return record(await db.insertInto('event_delegations').values(delegation).returningAll().executeTakeFirstOrThrow());
    },
    async getEventDelegation(id) {
      const row = await db.selectFrom('event_delegations').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : record(row);
    },
    async listEventDelegations(filter) {
      let q = db.selectFrom('event_delegations').selectAll();
      if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
      if (filter.requesterOrgId !== undefined) q = q.where('requester_org_id', '=', filter.requesterOrgId);
      if (filter.eventId !== undefined) q = q.where('event_id', '=', filter.eventId);
      return (await q.orderBy('id').execute()).map(record);
    },
    async deleteEventDelegation(id) {
      const result = await db.deleteFrom('event_delegations').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
