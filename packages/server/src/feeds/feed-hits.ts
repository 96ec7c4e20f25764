import { createHash } from 'node:crypto';
import type { MispJson, Principal } from '@waggle/core';
import type { FeedRecord, FeedStore } from '@waggle/store';

const md5 = (value: string): string => createHash('md5').update(value, 'utf8').digest('hex');

/**
 * Which cached, enabled feeds hold each value (by the md5 of its UTF-8 bytes,
 * as MISP's feed cache). Values with no hit are absent from the map.
 */
export async function feedHits(feedStore: FeedStore, values: readonly string[]): Promise<Map<string, FeedRecord[]>> {
  const unique = [...new Set(values)];
  const holding = await feedStore.feedsHolding(unique.map(md5));
  const out = new Map<string, FeedRecord[]>();
  for (const value of unique) {
    const feeds = (holding.get(md5(value)) ?? []).filter((f) => f.caching_enabled);
    if (feeds.length > 0) out.set(value, feeds);
  }
  return out;
}

type Json = Record<string, unknown>;
const asList = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** The values to look up for an attribute: the whole value, and each half of a composite one. */
function lookupValues(a: Json): string[] {
  const value = typeof a.value === 'string' ? a.value : '';
  const type = typeof a.type === 'string' ? a.type : '';
  return type.includes('|') || type === 'malware-sample' ? [value, ...value.split('|')] : [value];
}

/**
 * Adds MISP's `Feed: [{id, name, url, provider, source_format}]` to every
 * attribute (also inside objects) of an event view whose value a cached,
 * enabled feed holds (`includeFeedCorrelations`). Site administrators see
 * every feed; other users only feeds marked `lookup_visible`, since a feed's
 * name and URL can be internal.
 */
export async function attachFeedHits(feedStore: FeedStore, event: MispJson, p: Principal): Promise<MispJson> {
  const attributes = [...asList(event.Attribute), ...asList(event.Object).flatMap((o) => asList(o.Attribute))];
  if (attributes.length === 0) return event;
  const hits = await feedHits(feedStore, attributes.flatMap(lookupValues));
  const admin = p.role.perm_site_admin;
  for (const a of attributes) {
    const feeds = new Map<number, FeedRecord>();
    for (const v of lookupValues(a)) for (const f of hits.get(v) ?? []) if (admin || f.lookup_visible) feeds.set(f.id, f);
    if (feeds.size === 0) continue;
    a.Feed = [...feeds.values()].map((f) => ({ id: String(f.id), name: f.name, url: f.url, provider: f.provider, source_format: f.source_format }));
  }
  return event;
}
