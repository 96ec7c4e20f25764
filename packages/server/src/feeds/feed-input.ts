import { isAbsolute } from 'node:path';
import { InputError } from '@waggle/errors';
import { parseCsvFeed } from '@waggle/feeds';
import type { FeedRecord } from '@waggle/store';
import { csvMappings, excludeRegex, looseBool, parseHeaders, readSettings, type FeedSettings } from './feed-settings.js';

/** The formats waggle can fetch. MISP's `stix` format is not supported (see README). */
export const FEED_FORMATS = ['misp', 'csv', 'freetext'] as const;
/** Where a feed is read from: a URL, or a path on the server. */
export const INPUT_SOURCES = ['network', 'local'] as const;

/** A feed as stored, minus what the store and fetches maintain. */
export type FeedFields = Omit<FeedRecord, 'id' | 'last_fetched' | 'last_error' | 'created'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const DEFAULTS: FeedFields = {
  name: '', provider: '', url: '', source_format: 'misp', enabled: false, caching_enabled: false, distribution: 0,
  sharing_group_id: 0, tag_id: 0, input_source: 'network', settings: '{}', rules: '', headers: '', fixed_event: true,
  event_id: 0, delta_merge: false, lookup_visible: false,
};

/** The `{"Feed": {...}}` body of feeds/add and feeds/edit, or the bare object (MISP accepts both). */
export function unwrapFeed(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw new InputError('Expected a JSON object {"Feed": {...}}.', { field: 'Feed' });
  const inner = body.Feed;
  return isObject(inner) ? inner : body;
}

function wholeNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function checkUrl(feed: FeedFields, problems: string[]): void {
  if (feed.url.trim() === '') {
    problems.push('Feed.url is required.');
    return;
  }
  if (feed.input_source === 'local') {
    if (!isAbsolute(feed.url) || feed.url.includes('\0')) problems.push(`Feed.url: a local feed needs an absolute path on the server, got "${feed.url}".`);
    return;
  }
  let url: URL;
  try {
    url = new URL(feed.url);
  } catch {
    problems.push(`Feed.url "${feed.url}" is not a valid URL.`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`Feed.url must use http or https (or set input_source to "local" for a path), got "${url.protocol.replace(':', '')}".`);
}

async function checkSettings(feed: FeedFields, settings: FeedSettings, problems: string[]): Promise<void> {
  const regex = settings.common?.excluderegex;
  if (regex !== undefined && regex !== '') {
    if (typeof regex !== 'string') problems.push('settings.common.excluderegex must be a string.');
    else {
      const r = excludeRegex(regex);
      if (typeof r === 'string') problems.push(r);
    }
  }
  if (settings.csv !== undefined && !isObject(settings.csv)) problems.push('settings.csv must be an object such as {"value": "1", "delimiter": ","}.');
  else if (feed.source_format === 'csv') {
    for (const mapping of csvMappings(settings)) {
      try {
        // Parsing nothing checks the mapping: a broken one throws before any row is read.
        await parseCsvFeed('', mapping);
      } catch (error) {
        problems.push(`settings.csv: ${(error as Error).message}`);
      }
    }
  }
}

/** Settings from input: an object or MISP's JSON string; booleans normalised. */
function settingsFrom(raw: unknown, current: FeedSettings, problems: string[]): FeedSettings {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
    } catch {
      problems.push('Feed.settings must be a JSON object.');
      return current;
    }
  }
  if (!isObject(value)) {
    problems.push('Feed.settings must be a JSON object.');
    return current;
  }
  return { ...current, ...value } as FeedSettings;
}

/**
 * Checks feeds/add and feeds/edit input and returns the full feed it describes
 * (for an edit: the stored feed with the given fields changed). Every problem
 * is reported at once in one InputError; unknown fields (PyMISP sends `id`,
 * `default`, `cache_timestamp`, …) are ignored.
 */
export async function parseFeedInput(body: unknown, existing?: FeedRecord): Promise<FeedFields> {
  const f = unwrapFeed(body);
  const problems: string[] = [];
  const feed: FeedFields = { ...DEFAULTS, ...(existing ?? {}) };
  const strings = ['name', 'provider', 'url'] as const;
  for (const key of strings) {
    const v = f[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') problems.push(`Feed.${key} must be a string.`);
    else if (v.length > 1024) problems.push(`Feed.${key} is longer than 1024 characters.`);
    else feed[key] = v.trim();
  }
  if (existing === undefined || f.name !== undefined) if (feed.name === '') problems.push('Feed.name is required.');
  if (existing === undefined || f.provider !== undefined) if (feed.provider === '') problems.push('Feed.provider is required.');

  if (f.source_format !== undefined) {
    const v = String(f.source_format).toLowerCase();
    if ((FEED_FORMATS as readonly string[]).includes(v)) feed.source_format = v;
    else problems.push(`Feed.source_format "${String(f.source_format)}" is not supported; use one of ${FEED_FORMATS.join(', ')}.`);
  }
  if (f.input_source !== undefined) {
    const v = String(f.input_source).toLowerCase();
    if ((INPUT_SOURCES as readonly string[]).includes(v)) feed.input_source = v;
    else problems.push(`Feed.input_source "${String(f.input_source)}" is not supported; use network or local.`);
  }
  for (const key of ['enabled', 'caching_enabled', 'fixed_event', 'delta_merge', 'lookup_visible'] as const) {
    if (f[key] !== undefined) feed[key] = looseBool(f[key]);
  }
  const ints = [['distribution', 0, 5], ['sharing_group_id', 0, Number.MAX_SAFE_INTEGER], ['tag_id', 0, Number.MAX_SAFE_INTEGER], ['event_id', 0, Number.MAX_SAFE_INTEGER]] as const;
  for (const [key, min, max] of ints) {
    // MISP's forms call the fixed event `target_event`.
    const raw = key === 'event_id' ? (f.event_id ?? f.target_event) : f[key];
    if (raw === undefined || raw === null || raw === '') continue;
    const n = wholeNumber(raw);
    if (n === undefined || n < min || n > max) problems.push(`Feed.${key} must be a whole number from ${min} to ${max === 5 ? 5 : 'up'}, got ${JSON.stringify(raw)}.`);
    else feed[key] = n;
  }
  if (feed.distribution !== 4) feed.sharing_group_id = 0;
  else if (feed.sharing_group_id === 0) problems.push('Feed.sharing_group_id is required when distribution is 4.');

  let settings = readSettings(feed.settings);
  if (f.settings !== undefined && f.settings !== null) settings = settingsFrom(f.settings, settings, problems);
  for (const key of ['publish', 'override_ids'] as const) if (f[key] !== undefined) settings = { ...settings, [key]: looseBool(f[key]) };
  for (const key of ['disable_correlation', 'unpublish_event'] as const) if (settings[key] !== undefined) settings = { ...settings, [key]: looseBool(settings[key]) };
  feed.settings = JSON.stringify(settings);

  if (f.rules !== undefined || f.pull_rules !== undefined) {
    const rules = f.rules ?? f.pull_rules;
    const text = typeof rules === 'string' ? rules : JSON.stringify(rules);
    try {
      if (text.trim() !== '') JSON.parse(text);
      feed.rules = text;
    } catch {
      problems.push('Feed.rules must be JSON.');
    }
  }
  if (f.headers !== undefined) {
    if (typeof f.headers !== 'string') problems.push('Feed.headers must be text, one "Name: value" per line.');
    else {
      problems.push(...parseHeaders(f.headers).problems.map((p) => `Feed.${p}`));
      feed.headers = f.headers;
    }
  }
  checkUrl(feed, problems);
  await checkSettings(feed, settings, problems);
  if (problems.length > 0) throw new InputError(`Invalid feed: ${problems.join(' ')}`, { field: 'Feed', problems });
  return feed;
}
