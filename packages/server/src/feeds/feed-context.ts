import { isWaggleError } from '@waggle/errors';
import { folderSource, httpSource, type FeedSource } from '@waggle/feeds';
import type { EventService, Store, TagRecord } from '@waggle/core';
import type { FeedRecord, FeedStore } from '@waggle/store';
import { parseHeaders } from './feed-settings.js';
import type { FeedTextOptions } from './fetch-feed-text.js';

/** Transport limits of feed fetches. */
export interface FeedLimits {
  /** One HTTP request, body included (default 60 s). */
  readonly timeoutMs: number;
  /** Largest file read (default 256 MiB). */
  readonly maxBytes: number;
  /** Event files of a MISP feed fetched at the same time (default 4). */
  readonly concurrency: number;
}

/** What the import, cache and export steps share. */
export interface FeedContext {
  readonly feedStore: FeedStore;
  readonly store: Store;
  readonly events: EventService;
  readonly limits: FeedLimits;
  readonly fetch: typeof fetch;
}

/** One problem met while fetching a feed; `uuid` names the event when it concerns one. */
export interface FeedProblem {
  readonly uuid?: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** What one fetch did. */
export interface FeedFetchReport {
  readonly feedId: number;
  readonly name: string;
  readonly format: string;
  /** True when nothing went wrong. */
  readonly ok: boolean;
  /** Events created and updated (MISP feeds: one per feed event; CSV/freetext: the target event). */
  readonly added: number;
  readonly updated: number;
  /** Events already up to date. */
  readonly unchanged: number;
  /** MISP feeds: events no longer in the manifest, forgotten (never deleted locally, as in MISP). */
  readonly forgotten: number;
  /** CSV/freetext feeds: attributes added, and removed by delta merge. */
  readonly attributesAdded: number;
  readonly attributesRemoved: number;
  /** CSV feeds: rows that gave no attribute. */
  readonly rejectedRows: number;
  /** CSV/freetext feeds: the event written to. */
  readonly eventId?: number;
  readonly errors: readonly FeedProblem[];
  readonly fetchedAt: number;
}

/** A report being filled in. */
export type ReportDraft = { -readonly [K in keyof FeedFetchReport]: FeedFetchReport[K] } & { errors: FeedProblem[] };

/** An empty report for a feed. */
export function newReport(feed: FeedRecord): ReportDraft {
  return { feedId: feed.id, name: feed.name, format: feed.source_format, ok: true, added: 0, updated: 0, unchanged: 0, forgotten: 0, attributesAdded: 0, attributesRemoved: 0, rejectedRows: 0, errors: [], fetchedAt: 0 };
}

/** A failure as a report entry. */
export function problemOf(error: unknown, uuid?: string): FeedProblem {
  const message = error instanceof Error ? error.message : String(error);
  return { ...(uuid !== undefined ? { uuid } : {}), message: uuid !== undefined && !message.includes(uuid) ? `Event ${uuid}: ${message}` : message, retryable: isWaggleError(error) ? error.retryable : false };
}

/** The MISP feed source of a feed: its folder, or its base URL with the configured headers. */
export function feedSource(feed: FeedRecord, ctx: FeedContext): FeedSource {
  if (feed.input_source === 'local') return folderSource(feed.url, { maxBytes: ctx.limits.maxBytes });
  return httpSource(feed.url, { headers: parseHeaders(feed.headers).headers, timeoutMs: ctx.limits.timeoutMs, maxBytes: ctx.limits.maxBytes, fetch: ctx.fetch });
}

/** Transport options for a CSV or freetext feed. */
export function textOptions(feed: FeedRecord, ctx: FeedContext): FeedTextOptions {
  return { headers: parseHeaders(feed.headers).headers, timeoutMs: ctx.limits.timeoutMs, maxBytes: ctx.limits.maxBytes, fetch: ctx.fetch };
}

/** The feed's tag (tag_id), when set and still there. */
export async function feedTag(feed: FeedRecord, ctx: FeedContext): Promise<TagRecord | undefined> {
  return feed.tag_id === 0 ? undefined : ctx.store.read((repos) => repos.getTag(feed.tag_id));
}
