import { InputError, isWaggleError } from '@waggle/errors';
import { HASHES_FILE, MANIFEST_FILE, eventFileName, isUuid } from '../shared/feed-files.js';
import { parseManifest, wholeNumber, type FeedManifest } from '../shared/feed-manifest.js';
import { createRetainingFeedWriter } from './create-feed-writer.js';
import type { FeedSink } from './feed-sink.js';
import type { FeedShapeOptions } from './to-feed-event.js';

/** One event that should be in the feed, and its current last-change time. */
export interface FeedListing {
  readonly uuid: string;
  readonly timestamp: number;
}

/** What to export incrementally. */
export interface IncrementalFeedInput {
  /** Every event the feed should hold after this run. */
  readonly events: Iterable<FeedListing> | AsyncIterable<FeedListing>;
  /** Loads one new or changed event (`{Event}` JSON); only called for those. */
  readonly loadEvent: (uuid: string) => Promise<unknown>;
}

/** What an incremental export changed. */
export interface IncrementalFeedResult {
  /** Events whose files were (re)written. */
  readonly written: readonly string[];
  /** Events left as they were. */
  readonly unchanged: readonly string[];
  /** Events dropped from the manifest, with their files removed. */
  readonly removed: readonly string[];
  /** True when the old manifest or hashes.csv was missing or unreadable, so everything was rewritten. */
  readonly rebuilt: boolean;
}

/**
 * Updates the MISP feed in `sink` to hold exactly `input.events`: an event
 * whose manifest timestamp and file are unchanged is kept (its hashes.csv lines
 * are copied over); new or changed events are loaded and rewritten; events no
 * longer listed lose their manifest entry and file. manifest.json and
 * hashes.csv are replaced atomically; stale files are removed only after that,
 * so the published manifest never names a missing file.
 */
export async function writeFeedIncremental(
  sink: FeedSink,
  input: IncrementalFeedInput,
  options: FeedShapeOptions = {},
): Promise<IncrementalFeedResult> {
  const { manifest: previous, rebuilt } = await previousState(sink);
  const writer = createRetainingFeedWriter(sink, options);
  const written: string[] = [];
  const unchanged: string[] = [];
  const listed = new Set<string>();
  try {
    for await (const listing of input.events) {
      if (!isUuid(listing.uuid)) throw new InputError(`"${String(listing.uuid)}" is not an event UUID.`, { field: 'uuid' });
      const uuid = listing.uuid.toLowerCase();
      if (listed.has(uuid)) throw new InputError(`Event ${uuid} is listed twice.`, { field: 'uuid' });
      if (wholeNumber(listing.timestamp) === undefined) throw new InputError(`Event ${uuid}: timestamp must be a whole number.`, { field: 'timestamp' });
      listed.add(uuid);
      const entry = previous.get(uuid);
      if (!rebuilt && entry && entry.timestamp === listing.timestamp && (await sink.exists(eventFileName(uuid)))) {
        writer.keep(uuid, entry);
        unchanged.push(uuid);
        continue;
      }
      const added = await writer.add(await input.loadEvent(uuid));
      if (added.uuid !== uuid) throw new InputError(`loadEvent("${uuid}") returned event ${added.uuid}.`, { field: 'uuid' });
      if (added.written) written.push(uuid);
      else listed.delete(uuid);
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const removed: string[] = [];
  for (const uuid of previous.keys()) {
    if (listed.has(uuid)) continue;
    await sink.removeFile(eventFileName(uuid));
    removed.push(uuid);
  }
  return { written, unchanged, removed, rebuilt };
}

async function previousState(sink: FeedSink): Promise<{ manifest: FeedManifest; rebuilt: boolean }> {
  const text = await sink.readFile(MANIFEST_FILE);
  if (text === undefined) return { manifest: new Map(), rebuilt: false };
  let manifest: FeedManifest;
  try {
    manifest = parseManifest(JSON.parse(text) as unknown, `${sink.location}/${MANIFEST_FILE}`);
  } catch (error) {
    if (error instanceof SyntaxError || (isWaggleError(error) && error.code === 'invalid_input')) return { manifest: new Map(), rebuilt: true };
    throw error;
  }
  // Without the old hashes.csv, kept events would lose their lines: rewrite them all.
  const rebuilt = manifest.size > 0 && !(await sink.exists(HASHES_FILE));
  return { manifest, rebuilt };
}
