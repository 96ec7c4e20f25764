import { InputError, NotFoundError } from '@waggle/errors';
import { HASHES_FILE, feedValueHashes, pullFeed, type FeedSource } from '@waggle/feeds';
import type { FeedRecord } from '@waggle/store';
import { feedSource, type FeedContext } from './feed-context.js';
import { readTextFeedValues } from './text-feed-values.js';

type HashRow = { hash: string; event_uuid: string };

const LINE = /^([0-9a-f]{32}),([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The rows of a MISP feed's hashes.csv. `readFeedHashes` builds a lookup index
 * but cannot list its rows, which the store's cache needs, so the file is read
 * here line by line with the same rule (a malformed line fails the cache,
 * naming the line).
 */
async function hashesCsvRows(source: FeedSource): Promise<HashRow[]> {
  const rows: HashRow[] = [];
  const seen = new Set<string>();
  let n = 0;
  for await (const raw of source.readLines(HASHES_FILE)) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    if (m === null) throw new InputError(`${source.describe(HASHES_FILE)} line ${n}: expected "<md5>,<event uuid>", got "${line.slice(0, 100)}".`);
    const key = line.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ hash: (m[1] as string).toLowerCase(), event_uuid: (m[2] as string).toLowerCase() });
  }
  return rows;
}

/** MISP's fallback for a feed without hashes.csv: hash the values of every event file. */
async function eventRows(source: FeedSource): Promise<HashRow[]> {
  const rows: HashRow[] = [];
  for await (const item of pullFeed(source, new Map())) {
    if ('error' in item) throw item.error;
    const attributes = [...item.event.Event.Attribute, ...item.event.Event.Object.flatMap((o) => o.Attribute)];
    for (const a of attributes) {
      if (a.deleted === true || a.deleted === 1 || a.deleted === '1') continue;
      for (const hash of feedValueHashes(a.type, a.value)) rows.push({ hash, event_uuid: item.uuid });
    }
  }
  return rows;
}

/**
 * Rebuilds one feed's value cache (MISP's feed cache, used for "this value is
 * also in feed X"): a MISP feed's hashes.csv (or, when it has none, the md5 of
 * every value of its events); the md5 of each value of a CSV or freetext feed
 * (each half of a composite value separately, like hashes.csv). Returns the
 * number of hashes stored. The old cache is kept when reading fails.
 */
export async function cacheFeed(ctx: FeedContext, feed: FeedRecord): Promise<number> {
  let rows: HashRow[];
  if (feed.source_format === 'misp') {
    const source = feedSource(feed, ctx);
    try {
      rows = await hashesCsvRows(source);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      rows = await eventRows(source);
    }
  } else {
    const { values } = await readTextFeedValues(ctx, feed);
    rows = values.flatMap((v) => feedValueHashes(v.type, v.value).map((hash) => ({ hash, event_uuid: '' })));
  }
  return ctx.feedStore.replaceValueHashes(feed.id, rows);
}
