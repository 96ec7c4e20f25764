import type { MispJson } from '@waggle/core';
import type { FeedRecord } from '@waggle/store';
import { readSettings } from './feed-settings.js';

/** A feed's tag, shown with the feed as MISP does. */
export interface FeedTagSummary {
  readonly id: number;
  readonly name: string;
  readonly colour: string;
}

/**
 * The MISP JSON of a feed (`{"Feed": {...}}` body): ids and numbers as strings,
 * flags as booleans, `settings` as MISP's JSON string. `headers` often carry
 * credentials, so they are shown only when `showHeaders` is set (site admins).
 * `last_fetched` and `last_error` are waggle additions.
 */
export function feedJson(feed: FeedRecord, options: { showHeaders: boolean; tag?: FeedTagSummary | undefined }): MispJson {
  const { publish, override_ids: overrideIds, ...settings } = readSettings(feed.settings);
  const json: MispJson = {
    id: String(feed.id),
    name: feed.name,
    provider: feed.provider,
    url: feed.url,
    rules: feed.rules,
    enabled: feed.enabled,
    distribution: String(feed.distribution),
    sharing_group_id: String(feed.sharing_group_id),
    tag_id: String(feed.tag_id),
    default: false,
    source_format: feed.source_format,
    fixed_event: feed.fixed_event,
    delta_merge: feed.delta_merge,
    event_id: String(feed.event_id),
    publish: publish === true,
    override_ids: overrideIds === true,
    settings: JSON.stringify(settings),
    input_source: feed.input_source,
    delete_local_file: false,
    lookup_visible: feed.lookup_visible,
    headers: options.showHeaders ? feed.headers : '',
    caching_enabled: feed.caching_enabled,
    force_to_ids: false,
    orgc_id: '0',
    last_fetched: String(feed.last_fetched),
    last_error: feed.last_error,
  };
  if (options.tag !== undefined) json.Tag = { id: String(options.tag.id), name: options.tag.name, colour: options.tag.colour };
  return json;
}
