import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from '../lib/http.js';
import { startRssSampler } from '../lib/rss-sampler.js';
import { median, percentile, round } from '../lib/stats.js';
import type { TagTypeQuery } from './summary.js';

const SEARCH = '/attributes/restSearch';

interface SearchResponse {
  readonly response?: { readonly Attribute?: readonly unknown[] };
}

async function search(client: ApiClient, body: unknown, timeoutMs: number): Promise<{ ms: number; count: number; bytes: number }> {
  const t0 = performance.now();
  const text = await client.postText(SEARCH, body, timeoutMs);
  const ms = performance.now() - t0;
  let parsed: SearchResponse;
  try {
    parsed = JSON.parse(text) as SearchResponse;
  } catch {
    throw new Error(`restSearch ${JSON.stringify(body)}: response is not JSON: ${text.slice(0, 200)}`);
  }
  const list = parsed.response?.Attribute;
  if (!Array.isArray(list)) throw new Error(`restSearch ${JSON.stringify(body)}: no response.Attribute list in ${text.slice(0, 200)}`);
  return { ms, count: list.length, bytes: Buffer.byteLength(text) };
}

/** Value lookup latencies. */
export interface LookupResult {
  readonly lookups: number;
  readonly warmups: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Lookups that found nothing (should be 0: every value exists). */
  readonly misses: number;
  readonly medianMatches: number;
  readonly maxMatches: number;
}

/** `{"value": v}` restSearch for each value, one at a time (a single client), after a few unmeasured warm-up lookups. */
export async function measureLookups(client: ApiClient, values: readonly string[], warmups: readonly string[], timeoutMs: number): Promise<LookupResult> {
  for (const value of warmups) await search(client, { value }, timeoutMs);
  const times: number[] = [];
  const matches: number[] = [];
  for (const value of values) {
    const r = await search(client, { value }, timeoutMs);
    times.push(r.ms);
    matches.push(r.count);
  }
  return {
    lookups: values.length,
    warmups: warmups.length,
    p50Ms: round(percentile(times, 50), 2),
    p95Ms: round(percentile(times, 95), 2),
    p99Ms: round(percentile(times, 99), 2),
    maxMs: round(Math.max(...times), 2),
    misses: matches.filter((m) => m === 0).length,
    medianMatches: median(matches),
    maxMatches: Math.max(...matches),
  };
}

/** Tag + type search timing. */
export interface TagSearchResult {
  readonly query: Record<string, unknown>;
  /** Attributes in the data set that match without the limit. */
  readonly matching: number;
  readonly returned: number;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly runs: number;
  readonly responseBytes: number;
}

/** Runs a tag + type restSearch `runs` times; reports the first (cold) and the median. */
export async function measureTagSearch(client: ApiClient, q: TagTypeQuery, limit: number, runs: number, timeoutMs: number): Promise<TagSearchResult> {
  const query: Record<string, unknown> = { type: q.types.length === 1 ? q.types[0] : q.types, tags: q.tags, limit };
  const times: number[] = [];
  let returned = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await search(client, query, timeoutMs);
    times.push(r.ms);
    returned = r.count;
    bytes = r.bytes;
  }
  const expected = Math.min(q.matching, limit);
  if (returned !== expected) throw new Error(`tag+type search ${JSON.stringify(query)} returned ${returned} attributes, expected ${expected}`);
  return { query, matching: q.matching, returned, firstMs: round(times[0] ?? 0), medianMs: round(median(times)), runs, responseBytes: bytes };
}

/** CSV export figures. */
export interface ExportResult {
  readonly seconds: number;
  readonly rows: number;
  readonly bytes: number;
  readonly rssBeforeBytes: number;
  /** V8 heap in use and memory outside it (Buffers) when the export started, after a full GC. */
  /** Only when the server runs in the benchmark's process. */
  readonly heapUsedBeforeBytes?: number;
  readonly externalBeforeBytes?: number;
  /** Peak RSS sampled every 100 ms during the export (server and client share the process). */
  readonly peakRssBytes: number;
  readonly rssSamples: number;
  /** The kernel's high-water mark for the whole process lifetime, for comparison. */
  readonly maxRssLifetimeBytes: number;
}

/** `{"returnFormat":"csv"}` for all attributes, streamed to /dev/null while counting rows. */
export async function measureCsvExport(client: ApiClient, expectedRows: number, timeoutMs: number, serverPid?: number): Promise<ExportResult> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  // The server's memory is the measure: its own process when it runs in a child.
  const sampler = startRssSampler(100, serverPid);
  const t0 = performance.now();
  let bytes = 0;
  let newlines = 0;
  try {
    const response = await client.post(SEARCH, { returnFormat: 'csv' }, timeoutMs);
    if (response.body === null) throw new Error('CSV export: empty body');
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]), count, createWriteStream('/dev/null'));
  } catch (error) {
    sampler.stop();
    throw error;
  }
  const seconds = (performance.now() - t0) / 1000;
  const rss = sampler.stop();
  const rows = newlines - 1;
  if (rows !== expectedRows) throw new Error(`CSV export returned ${rows} rows, expected ${expectedRows}`);
  return {
    seconds: round(seconds, 2),
    rows,
    bytes,
    rssBeforeBytes: rss.startBytes,
    ...(serverPid === undefined ? { heapUsedBeforeBytes: before.heapUsed, externalBeforeBytes: before.external } : {}),
    peakRssBytes: rss.peakBytes,
    rssSamples: rss.samples,
    maxRssLifetimeBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** Event view latencies; correlations are resolved while the view is built. */
export interface EventViewResult {
  readonly views: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly medianAttributes: number;
  /** Mean RelatedEvent entries per view: shows correlation found something. */
  readonly meanRelatedEvents: number;
  /** Attributes that carried at least one RelatedAttribute, over all views. */
  readonly correlatedAttributes: number;
}

interface ViewResponse {
  readonly Event?: { readonly RelatedEvent?: readonly unknown[]; readonly Attribute?: readonly { readonly RelatedAttribute?: readonly unknown[] }[] };
}

/** `events/view/<uuid>` (POST, as PyMISP may send it) for each event, one at a time. */
export async function measureEventViews(client: ApiClient, events: readonly { uuid: string; attributes: number }[], timeoutMs: number): Promise<EventViewResult> {
  const times: number[] = [];
  let related = 0;
  let correlated = 0;
  for (const e of events) {
    const t0 = performance.now();
    const text = await client.postText(`/events/view/${e.uuid}`, {}, timeoutMs);
    times.push(performance.now() - t0);
    const view = (JSON.parse(text) as ViewResponse).Event;
    if (view === undefined) throw new Error(`events/view/${e.uuid}: no Event in ${text.slice(0, 200)}`);
    related += view.RelatedEvent?.length ?? 0;
    correlated += (view.Attribute ?? []).filter((a) => (a.RelatedAttribute?.length ?? 0) > 0).length;
  }
  return {
    views: events.length,
    p50Ms: round(percentile(times, 50), 1),
    p95Ms: round(percentile(times, 95), 1),
    maxMs: round(Math.max(...times), 1),
    medianAttributes: median(events.map((e) => e.attributes)),
    meanRelatedEvents: round(related / Math.max(1, events.length), 1),
    correlatedAttributes: correlated,
  };
}
