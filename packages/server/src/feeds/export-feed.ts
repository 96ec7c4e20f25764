import { folderSink, writeFeedIncremental, type FeedListing, type IncrementalFeedResult } from '@waggle/feeds';
import { basename, resolve } from 'node:path';
import type { EventService, OrganisationRecord, Principal, Store } from '@waggle/core';
import type { UmaProducers } from '../uma/uma-producers.js';
import type { OutboundPrivacy } from '../privacy/outbound-privacy.js';


/** Options of a feed export. */
export interface FeedExportOptions {
  /** Unpublished events too (default: published only, as MISP's feed generator). */
  readonly all?: boolean;
  /** Only events of these distribution levels (default: every level the principal sees). */
  readonly distributions?: readonly number[];
  /** Local tags too (default false: they are meant for this instance only). */
  readonly includeLocalTags?: boolean;
  /**
   * Who the feed is for, as the anonymisation policy names feeds (default: the
   * folder's name). Events the policy withholds from it are left out.
   */
  readonly recipient?: string;
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
export async function exportFeed(deps: { store: Store; events: EventService; privacy?: OutboundPrivacy; umaProducers?: UmaProducers }, dir: string, p: Principal, options: FeedExportOptions = {}): Promise<FeedExportResult> {
  const privacy = deps.privacy?.enabled === true ? deps.privacy : undefined;
  const feed = options.recipient ?? basename(resolve(dir));
  // No policy section for this feed: events produced here stay out of it (fail closed).
  const withholdLocal = privacy !== undefined && !privacy.covers({ feed });
  const orgs = new Map<number, OrganisationRecord | undefined>();
  async function creator(orgId: number): Promise<OrganisationRecord | undefined> {
    if (!orgs.has(orgId)) orgs.set(orgId, await deps.store.read((repos) => repos.getOrganisation(orgId)));
    return orgs.get(orgId);
  }
  /** Left out: a creator the policy has no section for, or a producer under UMA (ADR 0013: read one granted event at a time). */
  async function withheld(orgId: number): Promise<boolean> {
    const org = await creator(orgId);
    return (withholdLocal && (org?.local ?? true)) || deps.umaProducers?.has(org) === true;
  }
  async function* listing(): AsyncGenerator<FeedListing> {
    for (let page = 1; ; page++) {
      const rows = await deps.store.read((repos) =>
        repos.listEvents({ ...(options.all === true ? {} : { published: true }), ...(options.distributions !== undefined ? { distribution: options.distributions } : {}), sort: 'id', direction: 'asc', limit: PAGE, page }, p.viewer),
      );
      for (const e of rows) {
        if (await withheld(e.orgc_id)) continue;
        yield { uuid: e.uuid, timestamp: e.timestamp };
      }
      if (rows.length < PAGE) return;
    }
  }
  const result = await writeFeedIncremental(
    folderSink(dir),
    {
      events: listing(),
      loadEvent: async (uuid) => {
        const view = await deps.events.view(p, uuid, { includeCorrelations: false });
        if (privacy === undefined) return { Event: view };
        const shaped = privacy.forRecipient(view, { feed });
        // Cannot happen: events the policy withholds were left out of the listing above.
        if (shaped === undefined) throw new Error(`event ${uuid} is withheld from feed ${feed}`);
        return { Event: shaped };
      },
    },
    { includeLocalTags: options.includeLocalTags === true },
  );
  return { ...result, dir, events: result.written.length + result.unchanged.length };
}
