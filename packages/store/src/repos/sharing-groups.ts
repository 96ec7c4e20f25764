import type {
  Ref,
  ServerRecord,
  SharingGroupOrgRecord,
  SharingGroupRecord,
  SharingGroupRepository,
  SharingGroupServerRecord,
} from '@waggle/core';
import { uuidForms, changes, asId, chunks, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';

const toSharingGroup = (row: unknown): SharingGroupRecord => fromRow<SharingGroupRecord>('sharing_groups', row);
const toServer = (row: unknown): ServerRecord => fromRow<ServerRecord>('servers', row);

/** Ids per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ID_CHUNK = 5000;

/**
 * Sharing groups, their member organisations and servers, and the sync servers
 * themselves over SQL. A sharing group is referenced by id or UUID.
 */
export function sharingGroupRepository(ctx: RepoContext): SharingGroupRepository {
  const { db } = ctx;

  async function getSharingGroup(ref: Ref): Promise<SharingGroupRecord | undefined> {
    const id = asId(ref);
    const q = db.selectFrom('sharing_groups').selectAll();
    let row: unknown;
    if (id !== undefined) row = await q.where('id', '=', id).executeTakeFirst();
    else if (typeof ref === 'string' && isUuid(ref)) row = await q.where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
    return row === undefined ? undefined : toSharingGroup(row);
  }

  async function getServer(id: number): Promise<ServerRecord | undefined> {
    const row = await db.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toServer(row);
  }

  return {
    async insertSharingGroup(sg) {
      return toSharingGroup(await db.insertInto('sharing_groups').values(sg).returningAll().executeTakeFirstOrThrow());
    },
    getSharingGroup,
    async listSharingGroups() {
      return fromRows<SharingGroupRecord>('sharing_groups', await db.selectFrom('sharing_groups').selectAll().orderBy('id').execute());
    },
    async updateSharingGroup(id, patch) {
      const set = changes(patch);
      if (set === undefined) return mustExist(await getSharingGroup(id), 'Sharing group', id);
      const row = await db.updateTable('sharing_groups').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return toSharingGroup(mustExist(row, 'Sharing group', id));
    },
    async deleteSharingGroup(id) {
      await db.deleteFrom('sharing_group_orgs').where('sharing_group_id', '=', id).execute();
      await db.deleteFrom('sharing_group_servers').where('sharing_group_id', '=', id).execute();
      await db.deleteFrom('sharing_groups').where('id', '=', id).execute();
    },

    async upsertSharingGroupOrg(sgId, orgId, extend) {
      await db
        .insertInto('sharing_group_orgs')
        .values({ sharing_group_id: sgId, org_id: orgId, extend })
        .onConflict((oc) => oc.columns(['sharing_group_id', 'org_id']).doUpdateSet({ extend }))
        .execute();
    },
    async removeSharingGroupOrg(sgId, orgId) {
      const r = await db.deleteFrom('sharing_group_orgs').where('sharing_group_id', '=', sgId).where('org_id', '=', orgId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async upsertSharingGroupServer(sgId, serverId, allOrgs) {
      await db
        .insertInto('sharing_group_servers')
        .values({ sharing_group_id: sgId, server_id: serverId, all_orgs: allOrgs })
        .onConflict((oc) => oc.columns(['sharing_group_id', 'server_id']).doUpdateSet({ all_orgs: allOrgs }))
        .execute();
    },
    async removeSharingGroupServer(sgId, serverId) {
      const r = await db.deleteFrom('sharing_group_servers').where('sharing_group_id', '=', sgId).where('server_id', '=', serverId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async listSharingGroupOrgs(sgIds) {
      const out: SharingGroupOrgRecord[] = [];
      for (const part of chunks(sgIds, ID_CHUNK)) {
        const rows = await db.selectFrom('sharing_group_orgs').selectAll().where('sharing_group_id', 'in', part).orderBy('sharing_group_id').orderBy('id').execute();
        out.push(...fromRows<SharingGroupOrgRecord>('sharing_group_orgs', rows));
      }
      return out;
    },
    async listSharingGroupServers(sgIds) {
      const out: SharingGroupServerRecord[] = [];
      for (const part of chunks(sgIds, ID_CHUNK)) {
        const rows = await db.selectFrom('sharing_group_servers').selectAll().where('sharing_group_id', 'in', part).orderBy('sharing_group_id').orderBy('id').execute();
        out.push(...fromRows<SharingGroupServerRecord>('sharing_group_servers', rows));
      }
      return out;
    },
    async sharingGroupIdsForOrg(orgId) {
      // Selecting from sharing_groups itself keeps the ids distinct without DISTINCT.
      const rows = await db
        .selectFrom('sharing_groups')
        .select('id')
        .where('active', '=', true)
        .where((eb) =>
          eb.or([
            eb('org_id', '=', orgId),
            eb('id', 'in', eb.selectFrom('sharing_group_orgs').select('sharing_group_id').where('org_id', '=', orgId)),
            eb(
              'id',
              'in',
              eb.selectFrom('sharing_group_servers').select('sharing_group_id').where('server_id', '=', 0).where('all_orgs', '=', true),
            ),
          ]),
        )
        .orderBy('id')
        .execute();
      return rows.map((r) => Number(r.id));
    },

    async insertServer(server) {
      return toServer(await db.insertInto('servers').values(server).returningAll().executeTakeFirstOrThrow());
    },
    getServer,
    async listServers() {
      // MISP pulls and pushes in priority order (lowest number first).
      return fromRows<ServerRecord>('servers', await db.selectFrom('servers').selectAll().orderBy('priority').orderBy('id').execute());
    },
    async updateServer(id, patch) {
      const set = changes(patch);
      if (set === undefined) return mustExist(await getServer(id), 'Server', id);
      const row = await db.updateTable('servers').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return toServer(mustExist(row, 'Server', id));
    },
    async deleteServer(id) {
      // Server 0 is this instance in sharing_group_servers, never a row of servers.
      if (id <= 0) return;
      // A sharing group must not keep pointing at a server that is gone.
      await db.deleteFrom('sharing_group_servers').where('server_id', '=', id).execute();
      await db.deleteFrom('servers').where('id', '=', id).execute();
    },
  };
}
