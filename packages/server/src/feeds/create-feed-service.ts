import { DEFAULT_FEEDS } from './default-feeds.js';
import { ConflictError, InputError, NotFoundError, UnavailableError } from '@waggle/errors';
import { compact, requireSiteAdmin, type AuthService, type Clock, type EventService, type MispJson, type Principal, type Store } from '@waggle/core';
import type { FeedRecord, FeedStore } from '@waggle/store';
import { cacheFeed } from './cache-feed.js';
import { compareFeeds, type FeedDb } from './compare-feeds.js';
import type { OutboundPrivacy } from '../privacy/outbound-privacy.js';
import { exportFeed, type FeedExportOptions, type FeedExportResult } from './export-feed.js';
import type { UmaProducers } from '../uma/uma-producers.js';
import { newReport, problemOf, type FeedContext, type FeedFetchReport, type FeedLimits, type FeedProblem } from './feed-context.js';
import { attachFeedHits, feedHits } from './feed-hits.js';
import { parseFeedInput, type FeedFields } from './feed-input.js';
import { feedJson } from './feed-json.js';
import { importMispFeed } from './import-misp-feed.js';
import { importTextFeed } from './import-text-feed.js';

/** What the feed service needs. */
export interface FeedServiceDeps {
  readonly feedStore: FeedStore;
  readonly store: Store;
  readonly events: EventService;
  /** Builds the principal scheduled fetches act as (the first site administrator). */
  readonly auth: Pick<AuthService, 'principalFor'>;
  readonly clock: Clock;
  /** HTTP client for network feeds (default: the global fetch). */
  readonly fetch?: typeof fetch;
  /** The SQL handle, for feeds/compareFeeds (unavailable without it). */
  readonly db?: FeedDb;
  readonly limits?: Partial<FeedLimits>;
  /** Outbound anonymisation applied to exported feeds (recipient kind `feed`). */
  readonly privacy?: OutboundPrivacy;
  /** Producers under UMA (mode `uma`): their events stay out of exported feeds. */
  readonly umaProducers?: UmaProducers;
}

/** Outcome of caching one feed. */
export interface FeedCacheEntry {
  readonly id: number;
  readonly name: string;
  readonly hashes?: number;
  readonly error?: string;
}

/** Outcome of feeds/cacheFeeds (MISP counts successes and fails). */
export interface FeedCacheResult {
  readonly successes: number;
  readonly fails: number;
  readonly feeds: readonly FeedCacheEntry[];
}

/** The scopes of feeds/cacheFeeds besides a single feed. */
const CACHE_SCOPES: Record<string, (f: FeedRecord) => boolean> = {
  all: () => true,
  misp: (f) => f.source_format === 'misp',
  freetext: (f) => f.source_format !== 'misp',
  csv: (f) => f.source_format !== 'misp',
};

function summarise(errors: readonly FeedProblem[]): string {
  if (errors.length === 0) return '';
  const text = `${errors.length} problem${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.message).join(' | ')}`;
  return text.length > 2000 ? `${text.slice(0, 1997)}...` : text;
}

/**
 * Feed use cases, MISP's way: feed administration, fetching MISP, CSV and
 * freetext feeds into events, the value cache with overlap lookups and feed
 * comparison, and exporting a MISP feed. Changes, fetches and caching need a
 * site administrator (as in MISP); listing is open to every user, with the
 * request headers (credentials) shown to site administrators only.
 */
export function createFeedService(deps: FeedServiceDeps) {
  const { feedStore, store, clock } = deps;
  const limits: FeedLimits = { timeoutMs: 60_000, maxBytes: 256 * 1024 * 1024, concurrency: 4, ...deps.limits };
  const ctx: FeedContext = { feedStore, store, events: deps.events, limits, fetch: deps.fetch ?? fetch };
  const running = new Set<number>();

  async function get(ref: number | string): Promise<FeedRecord> {
    const feed = await feedStore.getFeed(ref);
    if (feed === undefined) throw new NotFoundError('Invalid feed.', { feed: String(ref) });
    return feed;
  }

  async function json(p: Principal, feed: FeedRecord): Promise<MispJson> {
    const tag = feed.tag_id === 0 ? undefined : await store.read((repos) => repos.getTag(feed.tag_id));
    return { Feed: feedJson(feed, { showHeaders: p.role.perm_site_admin && !p.readOnly, tag }) };
  }

  /** Checks what the feed points at in the store; every problem at once. */
  async function checkReferences(feed: FeedFields, ownId?: number): Promise<void> {
    const problems = await store.read(async (repos) => {
      const out: string[] = [];
      if (feed.tag_id !== 0 && (await repos.getTag(feed.tag_id)) === undefined) out.push(`Feed.tag_id: tag ${feed.tag_id} does not exist.`);
      if (feed.distribution === 4 && (await repos.getSharingGroup(feed.sharing_group_id)) === undefined) out.push(`Feed.sharing_group_id: sharing group ${feed.sharing_group_id} does not exist.`);
      if (feed.source_format !== 'misp' && feed.fixed_event && feed.event_id !== 0 && (await repos.getEvent(feed.event_id)) === undefined) out.push(`Feed.event_id: event ${feed.event_id} does not exist.`);
      return out;
    });
    const other = await feedStore.getFeed(feed.name);
    if (other !== undefined && other.id !== ownId) throw new ConflictError(`A feed named "${feed.name}" already exists`, { field: 'Feed.name' });
    if (problems.length > 0) throw new InputError(`Invalid feed: ${problems.join(' ')}`, { field: 'Feed', problems });
  }

  async function fetchFeed(p: Principal, ref: number | string): Promise<FeedFetchReport> {
    requireSiteAdmin(p, 'fetch feeds');
    const feed = await get(ref);
    if (!feed.enabled) throw new InputError(`Feed "${feed.name}" is not enabled; enable it before fetching.`, { field: 'Feed.enabled' });
    if (running.has(feed.id)) throw new ConflictError(`Feed "${feed.name}" is already being fetched.`, { feed: feed.id }, true);
    running.add(feed.id);
    try {
      const report = newReport(feed);
      try {
        if (feed.source_format === 'misp') await importMispFeed(ctx, feed, p, report);
        else await importTextFeed(ctx, feed, p, report, async (eventId) => void (await feedStore.updateFeed(feed.id, { event_id: eventId })));
      } catch (error) {
        report.errors.push(problemOf(error));
      }
      report.ok = report.errors.length === 0;
      report.fetchedAt = clock.now();
      await feedStore.updateFeed(feed.id, { last_fetched: report.fetchedAt, last_error: summarise(report.errors) });
      return report;
    } finally {
      running.delete(feed.id);
    }
  }

  return {
    /** feeds/index: every feed, as `{Feed}` objects. */
    async list(p: Principal): Promise<MispJson[]> {
      return Promise.all((await feedStore.listFeeds()).map((f) => json(p, f)));
    },

    /** feeds/view/:id. */
    async view(p: Principal, ref: number | string): Promise<MispJson> {
      return json(p, await get(ref));
    },

    /** The stored feed (for callers that need its fields, such as the CLI). */
    get,

    /** feeds/add: checks everything, stores nothing on any problem. */
    async add(p: Principal, body: unknown): Promise<MispJson> {
      requireSiteAdmin(p, 'add feeds');
      const fields = await parseFeedInput(body);
      await checkReferences(fields);
      return json(p, await feedStore.insertFeed({ ...fields, last_fetched: 0, last_error: '', created: clock.now() }));
    },

    /**
     * feeds/loadDefaultFeeds: adds the shipped default feeds (disabled) whose URL no feed has yet.
     * Returns how many were added; a second call adds none.
     */
    async loadDefaults(p: Principal): Promise<number> {
      requireSiteAdmin(p, 'load default feeds');
      const known = new Set((await feedStore.listFeeds()).map((f) => f.url));
      let added = 0;
      for (const body of DEFAULT_FEEDS) {
        if (known.has(String(body.url))) continue;
        const fields = await parseFeedInput({ Feed: body });
        await feedStore.insertFeed({ ...fields, last_fetched: 0, last_error: '', created: clock.now() });
        known.add(fields.url);
        added++;
      }
      return added;
    },

    /** feeds/edit/:id (also enable/disable, caching on/off); turning caching off drops the feed's cache. */
    async edit(p: Principal, ref: number | string, body: unknown): Promise<MispJson> {
      requireSiteAdmin(p, 'edit feeds');
      const current = await get(ref);
      const fields = await parseFeedInput(body, current);
      await checkReferences(fields, current.id);
      const updated = await feedStore.updateFeed(current.id, fields);
      if (current.caching_enabled && !updated.caching_enabled) await feedStore.replaceValueHashes(current.id, []);
      return json(p, updated);
    },

    /** feeds/delete/:id: the feed, its import state and cache go; imported events stay. */
    async delete(p: Principal, ref: number | string): Promise<FeedRecord> {
      requireSiteAdmin(p, 'delete feeds');
      const feed = await get(ref);
      await feedStore.deleteFeed(feed.id);
      return feed;
    },

    /** feeds/fetchFromFeed/:id: imports what is new; problems are in the report and in `last_error`. */
    fetch: fetchFeed,

    /** Fetches every enabled feed in turn; one failing feed never stops the others. */
    async fetchAll(p: Principal): Promise<FeedFetchReport[]> {
      requireSiteAdmin(p, 'fetch feeds');
      const reports: FeedFetchReport[] = [];
      for (const feed of (await feedStore.listFeeds()).filter((f) => f.enabled)) {
        try {
          reports.push(await fetchFeed(p, feed.id));
        } catch (error) {
          reports.push({ ...newReport(feed), ok: false, errors: [problemOf(error)], fetchedAt: clock.now() });
        }
      }
      return reports;
    },

    /** feeds/cacheFeeds/<scope>: a feed (id or name), or all | misp | freetext | csv feeds with caching enabled. */
    async cache(p: Principal, scope: number | string): Promise<FeedCacheResult> {
      requireSiteAdmin(p, 'cache feeds');
      const filter = typeof scope === 'string' ? CACHE_SCOPES[scope.toLowerCase()] : undefined;
      let targets: FeedRecord[];
      if (filter !== undefined) targets = (await feedStore.listFeeds()).filter((f) => f.caching_enabled && filter(f));
      else {
        const feed = await get(scope);
        if (!feed.caching_enabled) throw new InputError(`Caching is not enabled for feed "${feed.name}"; set caching_enabled first.`, { field: 'Feed.caching_enabled' });
        targets = [feed];
      }
      const entries: FeedCacheEntry[] = [];
      for (const feed of targets) {
        try {
          entries.push({ id: feed.id, name: feed.name, hashes: await cacheFeed(ctx, feed) });
        } catch (error) {
          entries.push({ id: feed.id, name: feed.name, error: problemOf(error).message });
        }
      }
      return { successes: entries.filter((e) => e.error === undefined).length, fails: entries.filter((e) => e.error !== undefined).length, feeds: entries };
    },

    /** Which cached, enabled feeds hold each value. */
    feedHits: (values: readonly string[]) => feedHits(feedStore, values),

    /** Adds `Feed` lists to the attributes of an event view (events/view `includeFeedCorrelations`). */
    attachFeedHits: (p: Principal, event: MispJson) => attachFeedHits(feedStore, event, p),

    /** feeds/compareFeeds. */
    async compare(p: Principal): Promise<MispJson[]> {
      requireSiteAdmin(p, 'compare feeds');
      if (deps.db === undefined) throw new UnavailableError('Comparing feeds needs the SQL store.');
      return compareFeeds(deps.db, await feedStore.listFeeds());
    },

    /** Writes a MISP feed of the events `p` may see into `dir` (incremental). */
    export: (dir: string, p: Principal, options: FeedExportOptions = {}): Promise<FeedExportResult> => exportFeed({ store, events: deps.events, ...compact({ privacy: deps.privacy, umaProducers: deps.umaProducers }) }, dir, p, options),

    /** The principal scheduled fetches act as: the first enabled site administrator. */
    async importPrincipal(): Promise<Principal> {
      const admin = await store.read(async (repos) => {
        const roles = new Set((await repos.listRoles()).filter((r) => r.perm_site_admin).map((r) => r.id));
        return (await repos.listUsers()).filter((u) => roles.has(u.role_id) && !u.disabled).sort((a, b) => a.id - b.id)[0];
      });
      if (admin === undefined) throw new NotFoundError('No enabled site administrator to import feeds as.');
      return deps.auth.principalFor(admin.id, 'feeds');
    },
  };
}

/** The feed service's type. */
export type FeedService = ReturnType<typeof createFeedService>;
