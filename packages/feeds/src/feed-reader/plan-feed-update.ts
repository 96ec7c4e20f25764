import type { FeedManifest } from '../shared/feed-manifest.js';

/** Which feed events a pull has to fetch, may skip, or should forget. */
export interface FeedUpdatePlan {
  /** New events, and events whose manifest timestamp is newer than the known one (manifest order). */
  readonly fetch: readonly string[];
  /** Events known at the manifest's timestamp or later. */
  readonly unchanged: readonly string[];
  /** Known events the manifest no longer lists. */
  readonly gone: readonly string[];
}

/**
 * Compares a manifest with what the caller already has (`known`: event uuid →
 * the timestamp it stored), as MISP's `Feed::getNewEventUuids` does: fetch
 * when unknown or when the known timestamp is older than the manifest's.
 */
export function planFeedUpdate(manifest: FeedManifest, known: ReadonlyMap<string, number>): FeedUpdatePlan {
  const lowerKnown = new Map<string, number>();
  for (const [uuid, timestamp] of known) lowerKnown.set(uuid.toLowerCase(), timestamp);
  const fetch: string[] = [];
  const unchanged: string[] = [];
  for (const [uuid, entry] of manifest) {
    const have = lowerKnown.get(uuid);
    if (have === undefined || have < entry.timestamp) fetch.push(uuid);
    else unchanged.push(uuid);
  }
  const gone = [...lowerKnown.keys()].filter((uuid) => !manifest.has(uuid));
  return { fetch, unchanged, gone };
}
