import { createHash } from 'node:crypto';
import { ConflictError, InputError } from '@waggle/errors';
import { HASHES_FILE, MANIFEST_FILE, eventFileName } from '../shared/feed-files.js';
import { serializeManifest, type ManifestEntry } from '../shared/feed-manifest.js';
import type { FeedSink, StagedFile } from './feed-sink.js';
import { toFeedEvent, type FeedShapeOptions } from './to-feed-event.js';

/** What `add` did with one event. */
export interface AddedFeedEvent {
  readonly uuid: string;
  /** False when the event's distribution is not exported (nothing was written). */
  readonly written: boolean;
  /** Lines added to hashes.csv for it. */
  readonly hashes: number;
}

/** Totals of a finished feed. */
export interface FeedWriteSummary {
  readonly events: number;
  readonly hashes: number;
}

/** Writes one MISP feed; see {@link createFeedWriter}. */
export interface FeedWriter {
  /** Writes `<uuid>.json` at once and remembers the manifest entry. Await each call before the next. */
  add(event: unknown): Promise<AddedFeedEvent>;
  /** Writes manifest.json and hashes.csv atomically. The writer cannot be used afterwards. */
  finish(): Promise<FeedWriteSummary>;
  /** Drops the pending hashes.csv; event files already written stay. */
  abort(): Promise<void>;
}

/** Extra hooks used by the incremental export. */
export interface RetainingFeedWriter extends FeedWriter {
  /** Keeps an unchanged event: its manifest entry as given, its hashes.csv lines copied from the old file on finish. */
  keep(uuid: string, entry: ManifestEntry): void;
}

/**
 * MISP feed hashes for one attribute value: the md5 of the value, or of each
 * `|`-separated part for composite types and malware-sample, as PyMISP's
 * `hash_values('md5')` computes them.
 */
export function feedValueHashes(type: string, value: string): string[] {
  const parts = type.includes('|') || type === 'malware-sample' ? value.split('|') : [value];
  return parts.map((part) => createHash('md5').update(part, 'utf8').digest('hex'));
}

/**
 * Starts a MISP feed in `sink`: each `add` writes the event file immediately
 * and streams its hashes.csv lines to a staged file, so memory holds only the
 * manifest entries however many attributes the feed has; `finish` commits
 * hashes.csv and manifest.json.
 */
export function createFeedWriter(sink: FeedSink, options: FeedShapeOptions = {}): FeedWriter {
  return createRetainingFeedWriter(sink, options);
}

/** {@link createFeedWriter} with `keep`, for incremental exports. */
export function createRetainingFeedWriter(sink: FeedSink, options: FeedShapeOptions = {}): RetainingFeedWriter {
  const manifest = new Map<string, ManifestEntry>();
  const kept = new Set<string>();
  let staged: Promise<StagedFile> | undefined;
  let hashes = 0;
  let state: 'open' | 'finishing' | 'closed' = 'open';
  let queue: Promise<unknown> = Promise.resolve();

  const hashesFile = (): Promise<StagedFile> => (staged ??= sink.stage(HASHES_FILE));
  const assertOpen = (): void => {
    if (state !== 'open') throw new ConflictError(`The feed writer for ${sink.location} is already finished.`);
  };
  // Calls run one after another even when a caller forgets to await.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    add(input) {
      return serial(async () => {
        assertOpen();
        const parts = toFeedEvent(input, options);
        if (!parts) {
          const uuid = (input as { Event?: { uuid?: unknown }; uuid?: unknown }).Event?.uuid ?? (input as { uuid?: unknown }).uuid;
          return { uuid: String(uuid).toLowerCase(), written: false, hashes: 0 };
        }
        if (manifest.has(parts.uuid)) throw new InputError(`Event ${parts.uuid} was added to the feed twice.`, { field: 'uuid' });
        await sink.writeFile(eventFileName(parts.uuid), JSON.stringify(parts.feedEvent));
        manifest.set(parts.uuid, parts.manifestEntry);
        let lines = '';
        let count = 0;
        for (const [type, value] of parts.values) {
          for (const md5 of feedValueHashes(type, value)) {
            lines += `${md5},${parts.uuid}\n`;
            count++;
          }
          if (lines.length > 1 << 16) {
            await (await hashesFile()).write(lines);
            lines = '';
          }
        }
        if (lines !== '') await (await hashesFile()).write(lines);
        hashes += count;
        return { uuid: parts.uuid, written: true, hashes: count };
      });
    },
    keep(uuid, entry) {
      assertOpen();
      const key = uuid.toLowerCase();
      if (manifest.has(key)) throw new InputError(`Event ${key} was added to the feed twice.`, { field: 'uuid' });
      eventFileName(key);
      manifest.set(key, entry);
      kept.add(key);
    },
    finish() {
      return serial(async () => {
        assertOpen();
        state = 'finishing';
        try {
          const file = await hashesFile();
          if (kept.size > 0) hashes += await copyKeptHashes(sink, kept, file);
          await file.commit();
          await sink.writeFile(MANIFEST_FILE, serializeManifest(manifest));
          state = 'closed';
          return { events: manifest.size, hashes };
        } catch (error) {
          state = 'closed';
          if (staged) await (await staged).abort();
          throw error;
        }
      });
    },
    abort() {
      return serial(async () => {
        state = 'closed';
        if (staged) await (await staged).abort();
      });
    },
  };
}

// Copies the lines of kept events from the current hashes.csv (not yet replaced).
async function copyKeptHashes(sink: FeedSink, kept: ReadonlySet<string>, file: StagedFile): Promise<number> {
  const lines = await sink.openLines(HASHES_FILE);
  if (!lines) return 0;
  let batch = '';
  let count = 0;
  for await (const line of lines) {
    const comma = line.indexOf(',');
    if (comma === -1 || !kept.has(line.slice(comma + 1).trim().toLowerCase())) continue;
    batch += `${line.trim()}\n`;
    count++;
    if (batch.length > 1 << 16) {
      await file.write(batch);
      batch = '';
    }
  }
  if (batch !== '') await file.write(batch);
  return count;
}
