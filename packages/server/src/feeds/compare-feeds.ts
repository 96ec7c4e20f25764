import type { MispJson } from '@waggle/core';
import type { createFeedStore, FeedRecord } from '@waggle/store';

/** The SQL handle of the store (`store.connection.db` of `openSqlStore`). */
export type FeedDb = Parameters<typeof createFeedStore>[0];

const summary = (f: FeedRecord): MispJson => ({ id: String(f.id), name: f.name, url: f.url, provider: f.provider, source_format: f.source_format });

/**
 * MISP's feeds/compareFeeds: for each cached feed, how many distinct values it
 * holds and how many of them each other cached feed holds too
 * (`ComparedFeed[].overlap_count`, `overlap_percentage` of the feed's values).
 * Counted in SQL over the feed cache, so nothing is loaded into memory.
 */
export async function compareFeeds(db: FeedDb, feeds: readonly FeedRecord[]): Promise<MispJson[]> {
  const cached = feeds.filter((f) => f.caching_enabled);
  const ids = cached.map((f) => f.id);
  if (ids.length === 0) return [];
  const counts = await db
    .selectFrom('feed_value_hashes')
    .select((eb) => ['feed_id', eb.fn.count<number>('hash').distinct().as('n')])
    .where('feed_id', 'in', ids)
    .groupBy('feed_id')
    .execute();
  const overlaps = await db
    .selectFrom('feed_value_hashes as a')
    .innerJoin('feed_value_hashes as b', (join) => join.onRef('a.hash', '=', 'b.hash').onRef('a.feed_id', '<>', 'b.feed_id'))
    .select((eb) => ['a.feed_id as source', 'b.feed_id as target', eb.fn.count<number>('a.hash').distinct().as('n')])
    .where('a.feed_id', 'in', ids)
    .where('b.feed_id', 'in', ids)
    .groupBy(['a.feed_id', 'b.feed_id'])
    .execute();
  const values = new Map(counts.map((c) => [Number(c.feed_id), Number(c.n)]));
  const overlap = new Map(overlaps.map((o) => [`${Number(o.source)}:${Number(o.target)}`, Number(o.n)]));
  return cached.map((f) => {
    const own = values.get(f.id) ?? 0;
    const compared = cached
      .filter((other) => other.id !== f.id)
      .map((other) => {
        const n = overlap.get(`${f.id}:${other.id}`) ?? 0;
        return { ...summary(other), overlap_count: n, overlap_percentage: own === 0 ? 0 : Math.round((100 * n) / own) };
      });
    return { Feed: { ...summary(f), values: own, ComparedFeed: compared } };
  });
}
