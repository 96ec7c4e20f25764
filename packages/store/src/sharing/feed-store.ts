import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '@waggle/errors';
import { chunks, fromRow } from '../db/rows.js';
import type { Database } from '../db/schema.js';
import type { FeedRecord } from './records.js';

/** Feeds, what was imported from each, and the value hashes they hold (MISP's feed cache). */
export interface FeedStore {
  insertFeed(feed: Omit<FeedRecord, 'id'>): Promise<FeedRecord>;
  getFeed(ref: number | string): Promise<FeedRecord | undefined>;
  listFeeds(): Promise<FeedRecord[]>;
  updateFeed(id: number, patch: Partial<Omit<FeedRecord, 'id'>>): Promise<FeedRecord>;
  /** Removes the feed with its import state and cache (imported events stay). */
  deleteFeed(id: number): Promise<void>;
  /** Event uuid → timestamp of the version imported from this feed. */
  importedEvents(feedId: number): Promise<Map<string, number>>;
  recordImportedEvent(feedId: number, eventUuid: string, timestamp: number): Promise<void>;
  forgetImportedEvents(feedId: number, eventUuids: readonly string[]): Promise<void>;
  /** Replaces the feed's cached value hashes. */
  replaceValueHashes(feedId: number, rows: Iterable<{ hash: string; event_uuid: string }>): Promise<number>;
  /** For each hash, the enabled feeds that hold it. */
  feedsHolding(hashes: readonly string[]): Promise<Map<string, FeedRecord[]>>;
}

const toFeed = (row: unknown): FeedRecord => {
  const f = fromRow<FeedRecord>('feeds', row);
  return { ...f, id: Number(f.id), last_fetched: Number(f.last_fetched), created: Number(f.created) };
};

/** Creates the feed store over an open database. */
export function createFeedStore(db: Kysely<Database>): FeedStore {
  async function getFeed(ref: number | string): Promise<FeedRecord | undefined> {
    const n = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
    const q = db.selectFrom('feeds').selectAll();
    const row = await (n !== undefined ? q.where('id', '=', n) : q.where('name', '=', String(ref))).executeTakeFirst();
    return row === undefined ? undefined : toFeed(row);
  }
  return {
    async insertFeed(feed) {
      if ((await getFeed(feed.name)) !== undefined) throw new ConflictError(`A feed named "${feed.name}" already exists`, { field: 'name' });
      const row = await db.insertInto('feeds').values(feed).returning('id').executeTakeFirstOrThrow();
      return { ...feed, id: Number(row.id) };
    },
    getFeed,
    async listFeeds() {
      return (await db.selectFrom('feeds').selectAll().orderBy('id').execute()).map(toFeed);
    },
    async updateFeed(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('feeds').set(patch).where('id', '=', id).execute();
      const feed = await getFeed(id);
      if (feed === undefined) throw new NotFoundError(`Feed ${String(id)} does not exist`);
      return feed;
    },
    async deleteFeed(id) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('feed_value_hashes').where('feed_id', '=', id).execute();
        await trx.deleteFrom('feed_events').where('feed_id', '=', id).execute();
        const r = await trx.deleteFrom('feeds').where('id', '=', id).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`Feed ${String(id)} does not exist`);
      });
    },
    async importedEvents(feedId) {
      const rows = await db.selectFrom('feed_events').select(['event_uuid', 'timestamp']).where('feed_id', '=', feedId).execute();
      return new Map(rows.map((r) => [r.event_uuid, Number(r.timestamp)]));
    },
    async recordImportedEvent(feedId, eventUuid, timestamp) {
      await db
        .insertInto('feed_events')
        .values({ feed_id: feedId, event_uuid: eventUuid, timestamp })
        .onConflict((oc) => oc.columns(['feed_id', 'event_uuid']).doUpdateSet({ timestamp }))
        .execute();
    },
    async forgetImportedEvents(feedId, eventUuids) {
      for (const part of chunks(eventUuids, 500)) await db.deleteFrom('feed_events').where('feed_id', '=', feedId).where('event_uuid', 'in', part).execute();
    },
    async replaceValueHashes(feedId, rows) {
      let n = 0;
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('feed_value_hashes').where('feed_id', '=', feedId).execute();
        let batch: { feed_id: number; hash: string; event_uuid: string }[] = [];
        const flush = async (): Promise<void> => {
          if (batch.length > 0) await trx.insertInto('feed_value_hashes').values(batch).execute();
          batch = [];
        };
        for (const r of rows) {
          batch.push({ feed_id: feedId, hash: r.hash.toLowerCase(), event_uuid: r.event_uuid });
          n++;
          if (batch.length >= 500) await flush();
        }
        await flush();
      });
      return n;
    },
    async feedsHolding(hashes) {
      const out = new Map<string, FeedRecord[]>();
      if (hashes.length === 0) return out;
      const feeds = new Map((await db.selectFrom('feeds').selectAll().where('enabled', '=', true).execute()).map((r) => [Number(r.id), toFeed(r)]));
      for (const part of chunks([...new Set(hashes.map((h) => h.toLowerCase()))], 500)) {
        const rows = await db.selectFrom('feed_value_hashes').select(['hash', 'feed_id']).distinct().where('hash', 'in', part).execute();
        for (const r of rows) {
          const feed = feeds.get(Number(r.feed_id));
          if (feed === undefined) continue;
          const list = out.get(r.hash) ?? [];
          if (!list.some((f) => f.id === feed.id)) list.push(feed);
          out.set(r.hash, list);
        }
      }
      return out;
    },
  };
}
