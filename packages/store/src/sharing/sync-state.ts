import type { Kysely } from 'kysely';
import type { SyncChannel, SyncCursor, SyncLogEntry, SyncStateStore } from '@waggle/sync';
import type { Database } from '../db/schema.js';
import type { SyncLogRecord } from './records.js';

/** What the sync log API lists. */
export interface SyncLogQuery {
  readonly serverId?: number;
  readonly limit?: number;
}

/** Sync cursors and logs in SQL, as the sync engines' state port plus log listing. */
export interface SqlSyncState extends SyncStateStore {
  listLogs(query: SyncLogQuery): Promise<SyncLogRecord[]>;
  /** Forgets the cursors of a server (a full resync next time). */
  reset(serverId: number): Promise<void>;
}

const serverNumber = (serverId: string): number => {
  const n = Number(serverId);
  if (!Number.isSafeInteger(n)) throw new Error(`sync state: server id "${serverId}" is not a stored server`);
  return n;
};

/** Creates the SQL sync state over an open database. */
export function createSqlSyncState(db: Kysely<Database>, clock: () => number = () => Math.floor(Date.now() / 1000)): SqlSyncState {
  return {
    async get(serverId: string, direction: SyncChannel): Promise<SyncCursor | undefined> {
      const row = await db.selectFrom('sync_cursors').select(['timestamp', 'uuid']).where('server_id', '=', serverNumber(serverId)).where('direction', '=', direction).executeTakeFirst();
      return row === undefined ? undefined : { timestamp: Number(row.timestamp), uuid: row.uuid };
    },
    async set(serverId: string, direction: SyncChannel, cursor: SyncCursor): Promise<void> {
      await db
        .insertInto('sync_cursors')
        .values({ server_id: serverNumber(serverId), direction, timestamp: cursor.timestamp, uuid: cursor.uuid, updated: clock() })
        .onConflict((oc) => oc.columns(['server_id', 'direction']).doUpdateSet({ timestamp: cursor.timestamp, uuid: cursor.uuid, updated: clock() }))
        .execute();
    },
    async log(entry: SyncLogEntry): Promise<void> {
      await db
        .insertInto('sync_logs')
        .values({
          server_id: serverNumber(entry.serverId), created: entry.at, direction: entry.direction, level: entry.level,
          event_uuid: entry.eventUuid ?? '', message: entry.message, details: entry.code ?? '',
        })
        .execute();
    },
    async listLogs(query: SyncLogQuery): Promise<SyncLogRecord[]> {
      let q = db.selectFrom('sync_logs').selectAll().orderBy('id', 'desc').limit(query.limit ?? 100);
      if (query.serverId !== undefined) q = q.where('server_id', '=', query.serverId);
      return (await q.execute()).map((r) => ({ ...r, id: Number(r.id), server_id: Number(r.server_id), created: Number(r.created) }));
    },
    async reset(serverId: number): Promise<void> {
      await db.deleteFrom('sync_cursors').where('server_id', '=', serverId).execute();
    },
  };
}
