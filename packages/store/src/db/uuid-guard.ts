import type BetterSqlite3 from 'better-sqlite3';
import { ConflictError } from '@waggle/errors';
import { fmix, stringHashes, uuidKey } from './attribute-keys.js';

/** The value of a lower-case hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Two 32-bit hashes of a UUID. A canonical UUID (lower case, dashes at 8, 13, 18 and 23) is read
 * as its four 32-bit words (a v4 UUID is random already; mixing spreads crafted ones), which
 * costs a fraction of hashing the string; anything else is hashed as a string.
 */
function uuidHashes(uuid: string): [number, number] {
  if (uuid.length !== 36) return stringHashes(uuid);
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let k = 0;
  for (let i = 0; i < 36; i++) {
    const c = uuid.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return stringHashes(uuid);
      continue;
    }
    const d = hexDigit(c);
    if (d < 0) return stringHashes(uuid);
    if (k < 8) w0 = (w0 << 4) | d;
    else if (k < 16) w1 = (w1 << 4) | d;
    else if (k < 24) w2 = (w2 << 4) | d;
    else w3 = (w3 << 4) | d;
    k++;
  }
  return [fmix(w0 ^ Math.imul(w2, 0x9e3779b1)), fmix(w3 ^ Math.imul(w1, 0x85ebca77))];
}

/**
 * Attribute UUIDs stay unique on SQLite without a unique index (see attribute-keys.ts).
 *
 * A Bloom filter over every stored UUID answers "certainly new" for nearly all
 * incoming UUIDs (PyMISP sends random v4 UUIDs); only the few it cannot rule out
 * are looked up exactly, through `attribute_keys`. Looking every UUID up cost
 * 5–17 µs each, a third of the ingest budget; the filter costs well under one.
 *
 * The filter belongs to one connection and is rebuilt from the table when it is
 * first needed and whenever SQLite's `data_version` shows that another
 * connection committed since (another process importing, say), so it never
 * misses a UUID stored elsewhere. Checks run inside the write transaction, which
 * holds SQLite's write lock, so no other writer can slip in between the check
 * and the insert. Deleted attributes and rolled-back inserts only leave extra
 * bits, which cost an exact lookup now and then, never a wrong answer.
 */
export interface UuidGuard {
  /** Throws ConflictError if a UUID is repeated in `uuids` or already stored. Call inside the write transaction. */
  assertNew(uuids: readonly string[]): void;
  /** Records UUIDs just inserted (in the same transaction as the check). */
  added(uuids: readonly string[]): void;
}

const BITS_PER_KEY = 16;
const PROBES = 8;
const MIN_CAPACITY = 1 << 16;
const EXACT_CHUNK = 500;

/** A fixed-size Bloom filter for `capacity` keys at about 0.05 % false positives. */
class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;
  readonly capacity: number;
  count = 0;

  constructor(capacity: number) {
    let size = 1 << 10;
    while (size < capacity * BITS_PER_KEY) size *= 2;
    this.#bits = new Uint32Array(size / 32);
    this.#mask = size - 1;
    this.capacity = capacity;
  }

  add(key: string): void {
    const [a, b] = uuidHashes(key);
    this.addHashes(a, b);
  }

  addHashes(a: number, b: number): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + Math.imul(i, b | 1)) & this.#mask;
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    this.count++;
  }

  /** Whether the key with hashes `a`, `b` ({@link uuidHashes}) may have been added. */
  mightHave(a: number, b: number): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + Math.imul(i, b | 1)) & this.#mask;
      if (((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** The error for an attribute UUID that is taken (or repeated in one insert), as the unique index gave. */
export function duplicateUuid(uuid: string): ConflictError {
  return new ConflictError(`Duplicate: an attribute with UUID ${uuid} already exists`, { uuid });
}

/** A guard over the `attributes` table of one SQLite connection. */
export function createUuidGuard(native: BetterSqlite3.Database): UuidGuard {
  // Filters of growing capacity: new UUIDs go into the last one, lookups ask all of them.
  let filters: BloomFilter[] | undefined;
  let seenVersion: unknown;
  const dataVersion = () => native.pragma('data_version', { simple: true });

  function rebuild(): void {
    const stored = Number(native.prepare('select count(*) from attributes').pluck().get());
    const filter = new BloomFilter(Math.max(MIN_CAPACITY, stored * 2));
    for (const uuid of native.prepare('select uuid from attributes').pluck().iterate()) filter.add(String(uuid));
    filters = [filter];
  }

  function current(): BloomFilter[] {
    const version = dataVersion();
    if (filters === undefined || version !== seenVersion) rebuild();
    seenVersion = version;
    return filters as BloomFilter[];
  }

  return {
    assertNew(uuids) {
      if (uuids.length === 0) return;
      const list = current();
      const seen = new Set<string>();
      const maybe: string[] = [];
      for (const uuid of uuids) {
        if (seen.has(uuid)) throw duplicateUuid(uuid);
        seen.add(uuid);
        const [a, b] = uuidHashes(uuid);
        for (const f of list) {
          if (f.mightHave(a, b)) {
            maybe.push(uuid);
            break;
          }
        }
      }
      if (maybe.length === 0) return;
      // One MATCH per key (see keyRowids in attribute-keys.ts for why not `a OR b OR …`).
      const exact = native.prepare('select uuid from attributes where id in (select f.rowid from json_each(?) t join attribute_keys f on f.attribute_keys match t.value) and uuid in (select value from json_each(?)) limit 1').pluck();
      for (let start = 0; start < maybe.length; start += EXACT_CHUNK) {
        const part = maybe.slice(start, start + EXACT_CHUNK);
        const taken = exact.get(JSON.stringify(part.map(uuidKey)), JSON.stringify(part));
        if (taken !== undefined) throw duplicateUuid(String(taken));
      }
    },
    added(uuids) {
      if (filters === undefined) return;
      for (const uuid of uuids) {
        let last = filters[filters.length - 1] as BloomFilter;
        if (last.count >= last.capacity) {
          last = new BloomFilter(last.capacity * 2);
          filters.push(last);
        }
        last.add(uuid);
      }
    },
  };
}
