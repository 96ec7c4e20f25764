import { createHash } from 'node:crypto';
import { InputError } from '@waggle/errors';
import { HASHES_FILE } from '../shared/feed-files.js';
import type { FeedSource } from './feed-source.js';

/** md5 → event uuids, from a feed's hashes.csv. */
export interface FeedHashIndex {
  /** Distinct hashes held. */
  readonly size: number;
  /** Events of the feed holding `value` exactly (md5 of its UTF-8 bytes); pass each half of a composite value separately. */
  lookup(value: string): readonly string[];
  /** Events listed for a hex md5. */
  lookupHash(md5: string): readonly string[];
}

const LINE = /^([0-9a-f]{32}),([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const NONE: readonly string[] = Object.freeze([]);

/**
 * Reads a feed's hashes.csv (streamed) into a {@link FeedHashIndex} for
 * "this value is also in feed X" checks. Event uuids are stored once each, so
 * a million lines take tens of MB, not hundreds. A malformed line is an
 * InputError naming the file and line number.
 */
export async function readFeedHashes(source: FeedSource): Promise<FeedHashIndex> {
  const where = source.describe(HASHES_FILE);
  const uuids: string[] = [];
  const uuidIndex = new Map<string, number>();
  const byHash = new Map<string, number | number[]>();
  let lineNumber = 0;
  for await (const raw of source.readLines(HASHES_FILE)) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    const match = LINE.exec(line);
    if (!match) throw new InputError(`${where} line ${lineNumber}: expected "<md5>,<event uuid>", got "${line.slice(0, 100)}".`);
    const md5 = (match[1] as string).toLowerCase();
    const uuid = (match[2] as string).toLowerCase();
    let index = uuidIndex.get(uuid);
    if (index === undefined) {
      index = uuids.push(uuid) - 1;
      uuidIndex.set(uuid, index);
    }
    const current = byHash.get(md5);
    if (current === undefined) byHash.set(md5, index);
    else if (typeof current === 'number') {
      if (current !== index) byHash.set(md5, [current, index]);
    } else if (!current.includes(index)) current.push(index);
  }
  const lookupHash = (md5: string): readonly string[] => {
    const found = byHash.get(md5.toLowerCase());
    if (found === undefined) return NONE;
    return typeof found === 'number' ? [uuids[found] as string] : found.map((i) => uuids[i] as string);
  };
  return {
    size: byHash.size,
    lookupHash,
    lookup: (value) => lookupHash(createHash('md5').update(value, 'utf8').digest('hex')),
  };
}
