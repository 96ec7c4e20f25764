import { sql } from 'kysely';
import type { OrganisationRecord, OrganisationRepository, Ref } from '@waggle/core';
import { uuidForms, changes, asId, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';

const toOrganisation = (row: unknown): OrganisationRecord => fromRow<OrganisationRecord>('organisations', row);

/** Organisations (local and remote) over SQL. A reference is an id, a UUID or the organisation's name. */
export function organisationRepository(ctx: RepoContext): OrganisationRepository {
  const { db } = ctx;

  async function byId(id: number): Promise<OrganisationRecord | undefined> {
    const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toOrganisation(row);
  }

  async function byName(name: string): Promise<OrganisationRecord | undefined> {
    const exact = await db.selectFrom('organisations').selectAll().where('name', '=', name).executeTakeFirst();
    if (exact !== undefined) return toOrganisation(exact);
    // Names are unique case-sensitively; a case-insensitive look-up prefers the oldest match.
    const folded = await db
      .selectFrom('organisations')
      .selectAll()
      .where(sql<string>`lower(name)`, '=', name.toLowerCase())
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return folded === undefined ? undefined : toOrganisation(folded);
  }

  async function getOrganisation(ref: Ref): Promise<OrganisationRecord | undefined> {
    const id = asId(ref);
    if (id !== undefined) return byId(id);
    if (typeof ref !== 'string' || ref === '') return undefined;
    if (isUuid(ref)) {
      const row = await db.selectFrom('organisations').selectAll().where('uuid', 'in', uuidForms(ref)).executeTakeFirst();
      if (row !== undefined) return toOrganisation(row);
    }
    return byName(ref);
  }

  return {
    async insertOrganisation(org) {
      return toOrganisation(await db.insertInto('organisations').values(org).returningAll().executeTakeFirstOrThrow());
    },
    getOrganisation,
    async listOrganisations(filter = {}) {
      let q = db.selectFrom('organisations').selectAll();
      if (filter.local !== undefined) q = q.where('local', '=', filter.local);
      return fromRows<OrganisationRecord>('organisations', await q.orderBy('id').execute());
    },
    async updateOrganisation(id, patch) {
      const set = changes(patch);
      if (set === undefined) return mustExist(await byId(id), 'Organisation', id);
      const row = await db.updateTable('organisations').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return toOrganisation(mustExist(row, 'Organisation', id));
    },
    async deleteOrganisation(id) {
      await db.deleteFrom('organisations').where('id', '=', id).execute();
    },
    async countOrganisationUsage(id) {
      const row = await db
        .selectNoFrom((eb) => [
          eb.selectFrom('users').select(eb.fn.countAll().as('n')).where('org_id', '=', id).as('users'),
          eb
            .selectFrom('events')
            .select(eb.fn.countAll().as('n'))
            .where((w) => w.or([w('org_id', '=', id), w('orgc_id', '=', id)]))
            .as('events'),
        ])
        .executeTakeFirstOrThrow();
      return Number(row.users ?? 0) + Number(row.events ?? 0);
    },
    async isOrganisationBlocklisted(uuid) {
      // Blocklist entries are stored lower-case (sharing/blocklists.ts).
      const row = await db.selectFrom('org_blocklists').select('id').where('org_uuid', '=', uuid.trim().toLowerCase()).executeTakeFirst();
      return row !== undefined;
    },
  };
}

