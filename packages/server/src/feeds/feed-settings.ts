import type { CsvFeedMapping } from '@waggle/feeds';

/**
 * What a feed's `settings` JSON holds. MISP's own keys (`csv`, `common`,
 * `disable_correlation`, `unpublish_event`) keep MISP's names and shapes;
 * `publish` and `override_ids` are MISP feed columns that waggle's feeds table
 * has no column for, so they live here and are shown as top-level fields.
 */
export interface FeedSettings {
  /** CSV column mapping: MISP's `{value: "2", delimiter: ","}` or waggle's richer mapping. */
  readonly csv?: Record<string, unknown>;
  readonly common?: { readonly excluderegex?: string };
  /** MISP feeds: imported events get disable_correlation. */
  readonly disable_correlation?: boolean;
  /** MISP feeds: imported events are saved unpublished. */
  readonly unpublish_event?: boolean;
  /** CSV/freetext feeds: publish the event after each fetch that changed it. */
  readonly publish?: boolean;
  /** CSV/freetext feeds: import every value with to_ids off. */
  readonly override_ids?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MISP's loose booleans: true, 1, "1", "true". */
export function looseBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** Reads a stored settings string (never throws: stored settings were checked when saved). */
export function readSettings(stored: string): FeedSettings {
  try {
    const parsed = JSON.parse(stored === '' ? '{}' : stored) as unknown;
    return isObject(parsed) ? (parsed as FeedSettings) : {};
  } catch {
    return {};
  }
}

/**
 * Turns a MISP `excluderegex` (a delimited PCRE such as `/\.example\.com$/i`)
 * into a RegExp; a bare pattern without delimiters is accepted too.
 * Returns a message instead of throwing so callers can gather every problem.
 */
export function excludeRegex(source: string): RegExp | string {
  const delimited = /^([/#~|!@%])(.*)\1([imsxu]*)$/s.exec(source);
  const [pattern, flags] = delimited === null ? [source, ''] : [delimited[2] as string, (delimited[3] as string).replace('x', '')];
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    return `settings.common.excluderegex is not a valid regular expression: ${(error as Error).message}`;
  }
}

/**
 * The CSV mapping of a feed, from MISP's settings (`value` "1" or "2,3": one or
 * more value columns, numbered from 1; `delimiter`) or from waggle's mapping
 * fields (`type`, `category`, `comment`, `headerRow`, `skipLines`, `quote`).
 * Several value columns give one mapping each, as MISP reads each of them.
 */
export function csvMappings(settings: FeedSettings): CsvFeedMapping[] {
  const csv = settings.csv ?? {};
  const raw = csv.value ?? 1;
  const columns = typeof raw === 'string' && /^\s*\d+(\s*,\s*\d+)*\s*$/.test(raw) ? raw.split(',').map((c) => Number(c.trim())) : [raw];
  const base: Record<string, unknown> = { ...csv };
  delete base.value;
  if (base.delimiter === '' || base.delimiter === undefined) delete base.delimiter;
  return columns.map((value) => ({ ...base, value }) as unknown as CsvFeedMapping);
}

/** Parses MISP's `headers` text ("Name: value" per line) into request headers. */
export function parseHeaders(text: string): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    // Only the line number is reported: header values are often credentials.
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) problems.push(`headers line ${i + 1} must look like "Name: value".`);
    else headers[name] = line.slice(colon + 1).trim();
  });
  return { headers, problems };
}
