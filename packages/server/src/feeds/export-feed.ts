import { folderSink, writeFeedIncremental, type FeedListing, type IncrementalFeedResult } from '@waggle/feeds';
import type { EventService, Principal, Store } from '@waggle/core';

/** Options of a feed export. */
export interface FeedExportOptions {
  /** Unpublished events too (default: published only, as MISP's feed generator). */
  readonly all?: boolean;
  /** Only events of these distribution levels (default: every level the principal sees). */
  readonly distributions?: readonly number[];
  /** Local tags too (default false: they are meant for this instance only). */
  readonly includeLocalTags?: boolean;
}

/** What an export wrote. */
export interface FeedExportResult extends IncrementalFeedResult {
  readonly dir: string;
  /** Events the feed holds now. */
  readonly events: number;
}

const PAGE = 500;

/**
 * Writes (or updates) a MISP feed in folder `dir` with the events `p` may see.
 * The listing is read a page at a time and only new or changed events are
 * loaded, one at a time, so memory stays bounded however many events there are.
 */
export async function exportFeed(deps: { store: Store; events: EventService }, dir: string, p: Principal, options: FeedExportOptions = {}): Promise<FeedExportResult> {
  async function* listing(): AsyncGenerator<FeedListing> {
    for (let page = 1; ; page++) {
      const rows = await deps.store.read((repos) =>
        repos.listEvents({ ...(options.all === true ? {} : { published: true }), ...(options.distributions !== undefined ? { distribution: options.distributions } : {}), sort: 'id', direction: 'asc', limit: PAGE, page }, p.viewer),
      );
      for (const e of rows) {
        yield { uuid: e.uuid, timestamp: e.timestamp };
      }
      if (rows.length < PAGE) return;
    }
  }
  const result = await writeFeedIncremental(
    folderSink(dir),
    { events: listing(), loadEvent: async (uuid) => ({ Event: await deps.events.view(p, uuid, { includeCorrelations: false }) }) },
    { includeLocalTags: options.includeLocalTags === true },
  );
  return { ...result, dir, events: result.written.length + result.unchanged.length };
}
