import { InputError } from '@waggle/errors';
import { isUuid } from './feed-files.js';

/** A tag as the manifest and feed events carry it. */
export interface FeedTag {
  readonly name: string;
  readonly colour?: string;
}

/** Metadata of one event in `manifest.json`. */
export interface ManifestEntry {
  readonly info: string;
  readonly Orgc?: { readonly name: string; readonly uuid: string };
  readonly analysis?: number;
  readonly threat_level_id?: number;
  readonly date?: string;
  /** The event's last-change time (seconds); what feed pulls compare. */
  readonly timestamp: number;
  readonly publish_timestamp?: number;
  readonly Tag: readonly FeedTag[];
}

/** A parsed manifest: event uuid (lowercase) → entry, in file order. */
export type FeedManifest = ReadonlyMap<string, ManifestEntry>;

/**
 * Checks a parsed `manifest.json` and returns it normalised (numbers as
 * numbers, uuids lowercase). `timestamp` and `info` are required; the other
 * fields MISP writes are optional but must have the right shape when present.
 * Throws InputError naming `where` and the first bad entry.
 */
export function parseManifest(json: unknown, where: string): FeedManifest {
  if (!isObject(json)) throw new InputError(`${where}: a manifest must be a JSON object keyed by event UUID.`);
  const manifest = new Map<string, ManifestEntry>();
  for (const [uuid, raw] of Object.entries(json)) {
    const problem = isUuid(uuid) ? undefined : 'the key is not an event UUID.';
    const parsed = problem === undefined ? parseEntry(raw) : problem;
    if (typeof parsed === 'string') {
      const name = uuid.slice(0, 80);
      throw new InputError(`${where}: entry "${name}": ${parsed}`, { field: name });
    }
    manifest.set(uuid.toLowerCase(), parsed);
  }
  return manifest;
}

// The normalised entry, or what is wrong with it.
function parseEntry(raw: unknown): ManifestEntry | string {
  if (!isObject(raw)) return 'must be an object.';
  const timestamp = wholeNumber(raw['timestamp']);
  if (timestamp === undefined) return 'timestamp must be a whole number of seconds.';
  const info = raw['info'];
  if (typeof info !== 'string') return 'info must be a string.';
  const entry: { -readonly [K in keyof ManifestEntry]: ManifestEntry[K] } = { info, timestamp, Tag: [] };
  const orgc = raw['Orgc'];
  if (orgc !== undefined) {
    if (!isObject(orgc) || typeof orgc['name'] !== 'string' || !isUuid(orgc['uuid'])) return 'Orgc must have a name and a uuid.';
    entry.Orgc = { name: orgc['name'], uuid: orgc['uuid'].toLowerCase() };
  }
  for (const [field, min, max] of [['analysis', 0, 2], ['threat_level_id', 1, 4]] as const) {
    if (raw[field] === undefined) continue;
    const n = wholeNumber(raw[field]);
    if (n === undefined || n < min || n > max) return `${field} must be ${min} to ${max}.`;
    entry[field] = n;
  }
  const date = raw['date'];
  if (date !== undefined) {
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'date must be YYYY-MM-DD.';
    entry.date = date;
  }
  if (raw['publish_timestamp'] !== undefined) {
    const n = wholeNumber(raw['publish_timestamp']);
    if (n === undefined) return 'publish_timestamp must be a whole number of seconds.';
    entry.publish_timestamp = n;
  }
  const tags = raw['Tag'];
  if (tags !== undefined) {
    if (!Array.isArray(tags)) return 'Tag must be a list.';
    const parsedTags: FeedTag[] = [];
    for (const [i, tag] of tags.entries()) {
      if (!isObject(tag) || typeof tag['name'] !== 'string') return `Tag[${i}] must have a name.`;
      const colour = tag['colour'];
      if (colour !== undefined && typeof colour !== 'string') return `Tag[${i}].colour must be a string.`;
      parsedTags.push(colour === undefined ? { name: tag['name'] } : { name: tag['name'], colour });
    }
    entry.Tag = parsedTags;
  }
  return entry;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole number given as a number or a string of digits (MISP writes both); undefined otherwise. */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** Serialises a manifest the way MISP's generators do: one compact JSON object, entries sorted by uuid for stable output. */
export function serializeManifest(manifest: FeedManifest): string {
  const sorted = [...manifest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted.map(([uuid, entry]) => [uuid, canonical(entry)])));
}

// PyMISP's key order, whatever order the entry was built or parsed in; absent fields stay absent.
function canonical(entry: ManifestEntry): Record<string, unknown> {
  const { Orgc, Tag, info, date, analysis, threat_level_id, timestamp, publish_timestamp } = entry;
  return { Orgc, Tag, info, date, analysis, threat_level_id, timestamp, publish_timestamp };
}
