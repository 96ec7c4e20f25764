import { extractIndicators, parseCsvFeed } from '@waggle/feeds';
import type { FeedRecord } from '@waggle/store';
import { textOptions, type FeedContext } from './feed-context.js';
import { csvMappings, excludeRegex, readSettings } from './feed-settings.js';
import { fetchFeedText } from './fetch-feed-text.js';

/** A value read from a CSV or freetext feed, typed and validated. */
export interface TextFeedValue {
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
}

/** The values of a CSV or freetext feed, de-duplicated by value (first wins, as MISP). */
export interface TextFeedValues {
  readonly values: TextFeedValue[];
  /** CSV rows that gave no attribute. */
  readonly rejectedRows: number;
}

/**
 * Reads a CSV or freetext feed: CSV through its column mapping (several value
 * columns are each read), freetext through MISP-style indicator extraction.
 * `excluderegex` drops matching values in both, and `override_ids` turns
 * `to_ids` off, as in MISP.
 */
export async function readTextFeedValues(ctx: FeedContext, feed: FeedRecord): Promise<TextFeedValues> {
  const text = await fetchFeedText(feed, textOptions(feed, ctx));
  const settings = readSettings(feed.settings);
  const regex = settings.common?.excluderegex;
  const exclude = regex === undefined || regex === '' ? undefined : excludeRegex(regex);
  const excluded = (value: string): boolean => {
    if (!(exclude instanceof RegExp)) return false;
    exclude.lastIndex = 0;
    return exclude.test(value);
  };
  const found = new Map<string, TextFeedValue>();
  let rejectedRows = 0;
  const add = (v: { type: string; category: string; value: string; to_ids: boolean; comment?: string }): void => {
    if (found.has(v.value) || excluded(v.value)) return;
    found.set(v.value, { type: v.type, category: v.category, value: v.value, to_ids: settings.override_ids === true ? false : v.to_ids, comment: v.comment ?? '' });
  };
  if (feed.source_format === 'csv') {
    for (const mapping of csvMappings(settings)) {
      const result = await parseCsvFeed(text, mapping, { maxRejected: 0 });
      rejectedRows += result.rejectedCount;
      for (const a of result.attributes) add(a);
    }
  } else {
    for (const a of extractIndicators(text, exclude instanceof RegExp ? { excludeRegex: exclude } : {})) add(a);
  }
  return { values: [...found.values()], rejectedRows };
}
