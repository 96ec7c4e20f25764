import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '@waggle/errors';
import type { Database } from '../db/schema.js';
import type { EventBlocklistRecord, OrgBlocklistRecord } from './records.js';

/** MISP's event and organisation blocklists: what is never pulled or accepted again. */
export interface Blocklists {
  blockEvent(entry: Omit<EventBlocklistRecord, 'id'>): Promise<EventBlocklistRecord>;
  unblockEvent(uuid: string): Promise<void>;
  listEventBlocks(): Promise<EventBlocklistRecord[]>;
  /** Changes an entry (MISP's blocklist edit); a UUID already blocklisted by another entry is a conflict. */
  updateEventBlock(id: number, patch: Partial<Omit<EventBlocklistRecord, 'id' | 'created'>>): Promise<EventBlocklistRecord>;
  blockOrg(entry: Omit<OrgBlocklistRecord, 'id'>): Promise<OrgBlocklistRecord>;
  unblockOrg(uuid: string): Promise<void>;
  listOrgBlocks(): Promise<OrgBlocklistRecord[]>;
  /** Changes an entry; a UUID already blocklisted by another entry is a conflict. */
  updateOrgBlock(id: number, patch: Partial<Omit<OrgBlocklistRecord, 'id' | 'created'>>): Promise<OrgBlocklistRecord>;
  /** Whether the event or its creator organisation is blocked. */
  isBlocked(eventUuid: string, orgUuid: string | undefined): Promise<boolean>;
}

const lower = (s: string): string => s.trim().toLowerCase();

/** Creates the blocklists over an open database. */
export function createBlocklists(db: Kysely<Database>): Blocklists {
  return {
    async blockEvent(entry) {
      const uuid = lower(entry.event_uuid);
      if ((await db.selectFrom('event_blocklists').select('id').where('event_uuid', '=', uuid).executeTakeFirst()) !== undefined) throw new ConflictError(`Event ${uuid} is already blocklisted`);
      const row = await db.insertInto('event_blocklists').values({ ...entry, event_uuid: uuid }).returning('id').executeTakeFirstOrThrow();
      return { ...entry, event_uuid: uuid, id: Number(row.id) };
    },
    async unblockEvent(uuid) {
      const r = await db.deleteFrom('event_blocklists').where('event_uuid', '=', lower(uuid)).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`Event ${uuid} is not blocklisted`);
    },
    async listEventBlocks() {
      return (await db.selectFrom('event_blocklists').selectAll().orderBy('id').execute()).map((r) => ({ ...r, id: Number(r.id), created: Number(r.created) }));
    },
    async updateEventBlock(id, patch) {
      const values = patch.event_uuid === undefined ? patch : { ...patch, event_uuid: lower(patch.event_uuid) };
      if (values.event_uuid !== undefined && (await db.selectFrom('event_blocklists').select('id').where('event_uuid', '=', values.event_uuid).where('id', '!=', id).executeTakeFirst()) !== undefined) {
        throw new ConflictError(`Event ${values.event_uuid} is already blocklisted`);
      }
      if (Object.keys(values).length > 0) await db.updateTable('event_blocklists').set(values).where('id', '=', id).execute();
      const row = await db.selectFrom('event_blocklists').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new NotFoundError(`Event blocklist entry ${String(id)} does not exist`);
      return { ...row, id: Number(row.id), created: Number(row.created) };
    },
    async blockOrg(entry) {
      const uuid = lower(entry.org_uuid);
      if ((await db.selectFrom('org_blocklists').select('id').where('org_uuid', '=', uuid).executeTakeFirst()) !== undefined) throw new ConflictError(`Organisation ${uuid} is already blocklisted`);
      const row = await db.insertInto('org_blocklists').values({ ...entry, org_uuid: uuid }).returning('id').executeTakeFirstOrThrow();
      return { ...entry, org_uuid: uuid, id: Number(row.id) };
    },
    async unblockOrg(uuid) {
      const r = await db.deleteFrom('org_blocklists').where('org_uuid', '=', lower(uuid)).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`Organisation ${uuid} is not blocklisted`);
    },
    async listOrgBlocks() {
      return (await db.selectFrom('org_blocklists').selectAll().orderBy('id').execute()).map((r) => ({ ...r, id: Number(r.id), created: Number(r.created) }));
    },
    async updateOrgBlock(id, patch) {
      const values = patch.org_uuid === undefined ? patch : { ...patch, org_uuid: lower(patch.org_uuid) };
      if (values.org_uuid !== undefined && (await db.selectFrom('org_blocklists').select('id').where('org_uuid', '=', values.org_uuid).where('id', '!=', id).executeTakeFirst()) !== undefined) {
        throw new ConflictError(`Organisation ${values.org_uuid} is already blocklisted`);
      }
      if (Object.keys(values).length > 0) await db.updateTable('org_blocklists').set(values).where('id', '=', id).execute();
      const row = await db.selectFrom('org_blocklists').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new NotFoundError(`Organisation blocklist entry ${String(id)} does not exist`);
      return { ...row, id: Number(row.id), created: Number(row.created) };
    },
    async isBlocked(eventUuid, orgUuid) {
      if ((await db.selectFrom('event_blocklists').select('id').where('event_uuid', '=', lower(eventUuid)).executeTakeFirst()) !== undefined) return true;
      if (orgUuid === undefined || orgUuid === '') return false;
      return (await db.selectFrom('org_blocklists').select('id').where('org_uuid', '=', lower(orgUuid)).executeTakeFirst()) !== undefined;
    },
  };
}
