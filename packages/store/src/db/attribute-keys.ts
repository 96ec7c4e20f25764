import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { ipCorrelationValue, ipRange, type IpRange } from '@waggle/misp';
import type { SqlEngine } from './engine.js';

/**
 * The SQLite lookup keys of attributes: UUID, values and single IP addresses, in a
 * contentless FTS5 table (`attribute_keys`, rowid = attribute id) instead of B-tree
 * indexes.
 *
 * Why (ADR 0017, ADR 0019, docs/benchmarks.md): UUIDs and values are random keys, so
 * every insert into a B-tree index lands on a different page, and every page a
 * transaction touches is written to the WAL again and checkpointed again. FTS5 keeps
 * its index as an LSM (sorted segments written sequentially, merged in the
 * background of later writes), which costs a fraction of that per key and stays
 * flat as the store grows. Lookups cost tens of microseconds.
 *
 * Each row holds these tokens:
 * - `u` + the UUID's 32 hex digits;
 * - `v` + a 64-bit hash (hex) of value1, and another of value2 when it is not empty
 *   (one token space: MISP's `value` matches either half);
 * - for an attribute holding a single IP address (`ip-src`, `ip-dst|port`, the IP of
 *   `domain|ip`, …), `i4` + its 8 hex digits or `i6` + its 32: CIDR search and CIDR
 *   correlation find the addresses inside a block with prefix queries
 *   ({@link ipBlockQueries}). Blocks themselves stay in `ip_ranges`.
 *
 * A lookup narrows attributes to the matching rowids and the query still compares
 * the real column, so hash collisions cost nothing but one extra row read. The
 * store's one insert path writes the keys of new attributes
 * ({@link attributeKeyRows}); triggers (migrations 018, 019) follow every update
 * and delete, whatever code path makes it, and call {@link ATTRIBUTE_KEY_FUNCTION},
 * which {@link registerKeyFunctions} adds to every connection waggle opens.
 * PostgreSQL keeps its B-tree indexes (it has no WAL page cost of this kind at this
 * scale), and every helper here answers `undefined` for it.
 */

/** The SQL function (registered per connection) giving the key token of a value (`v…`, as {@link valueKey}); migration 018's trigger used it. */
export const VALUE_KEY_FUNCTION = 'waggle_value_key';

/** The SQL function (registered per connection) giving an attribute's whole key row: `(uuid, type, value1, value2)`, as {@link attributeKey}. */
export const ATTRIBUTE_KEY_FUNCTION = 'waggle_attribute_key';

/**
 * Two independent 32-bit FNV-1a style hashes of a string's UTF-16 code units, mixed (murmur3
 * finaliser): the value keys, and the UUID Bloom filter for UUIDs not in canonical form.
 */
export function stringHashes(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix(a), fmix(b ^ a)];
}

/** murmur3's 32-bit finaliser: spreads every input bit over the result. */
export function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The key token of an attribute value (`v` + 16 hex digits). */
export function valueKey(value: string): string {
  const [a, b] = stringHashes(value);
  return `v${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

const HEX_DIGIT = /[^0-9a-fA-F]/g;

/** The key token of an attribute UUID (`u` + its hex digits, lower case). */
export function uuidKey(uuid: string): string {
  // The usual case, a canonical lower-case UUID, without a regular expression.
  if (uuid.length === 36 && uuid.charCodeAt(8) === 45 && uuid.charCodeAt(13) === 45 && uuid.charCodeAt(18) === 45 && uuid.charCodeAt(23) === 45) {
    const hex = uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
    if (/^[0-9a-f]{32}$/.test(hex)) return `u${hex}`;
  }
  return `u${uuid.replace(HEX_DIGIT, '').toLowerCase()}`;
}

/** The key token of a single IP address (`i4` + 8 hex digits, `i6` + 32), or undefined for a block. */
export function ipKey(range: IpRange): string | undefined {
  return range.start === range.end ? `i${String(range.family)}${range.start}` : undefined;
}

/** What an attribute's key row is made of. */
export interface KeyedAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
}

/** The key row text of an attribute (tokens separated by spaces; see the module comment). */
export function attributeKey(a: KeyedAttribute): string {
  let key = `${uuidKey(a.uuid)} ${valueKey(a.value1)}`;
  if (a.value2 !== '') key += ` ${valueKey(a.value2)}`;
  const ip = ipCorrelationValue(a.type, a.value1, a.value2);
  const range = ip === undefined ? undefined : ipRange(ip);
  const single = range === undefined ? undefined : ipKey(range);
  if (single !== undefined) key += ` ${single}`;
  return key;
}

/** The `attribute_keys` rows (rowid = attribute id) of inserted attributes. */
export function attributeKeyRows(attributes: readonly (KeyedAttribute & { readonly id: number })[]): { rowid: number; k: string }[] {
  return attributes.map((a) => ({ rowid: a.id, k: attributeKey(a) }));
}

/**
 * FTS5 queries for the single addresses inside an IP block: prefix queries over the `i` tokens
 * (`i4c0a80*`). The block must be CIDR-aligned, as {@link ipRange} gives it: its bounds share a
 * prefix of hex digits, then one digit runs over a range of values and the rest is all 0 and
 * all f. A single address is one exact token.
 */
export function ipBlockQueries(range: IpRange): string[] {
  const head = `i${String(range.family)}`;
  if (range.start === range.end) return [`${head}${range.start}`];
  let common = 0;
  while (common < range.start.length && range.start[common] === range.end[common]) common++;
  const prefix = range.start.slice(0, common);
  const first = Number.parseInt(range.start.charAt(common), 16);
  const last = Number.parseInt(range.end.charAt(common), 16);
  if (first === 0 && last === 15) return [`${head}${prefix}*`];
  const out: string[] = [];
  for (let d = first; d <= last; d++) out.push(`${head}${prefix}${d.toString(16)}*`);
  return out;
}

/** Registers the key function the triggers of `attribute_keys` call; every SQLite connection needs it. */
export function registerKeyFunctions(native: BetterSqlite3.Database): void {
  const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  native.function(VALUE_KEY_FUNCTION, { deterministic: true }, (v: unknown) => valueKey(text(v)));
  native.function(ATTRIBUTE_KEY_FUNCTION, { deterministic: true }, (uuid: unknown, type: unknown, value1: unknown, value2: unknown) =>
    attributeKey({ uuid: text(uuid), type: text(type), value1: text(value1), value2: text(value2) }));
}

/**
 * Rowids of `attribute_keys` holding any of the tokens. One token is one MATCH; several are
 * matched one by one from a JSON list: FTS5 evaluates `a OR b OR …` by stepping every term
 * for every row, and 500 terms took 200 ms where one MATCH per term took 29 ms (measured).
 */
export function keyRowids(tokens: readonly string[]): RawBuilder<unknown> {
  const unique = [...new Set(tokens)];
  if (unique.length === 1) return sql`select rowid from attribute_keys where attribute_keys match ${unique[0]}`;
  return sql`select f.rowid from json_each(${JSON.stringify(unique)}) t join attribute_keys f on f.attribute_keys match t.value`;
}

/**
 * `<idColumn> in (rowids whose keys match)`: the narrowing condition for a lookup of
 * attributes by UUID or by exact value (in value1 or value2) on SQLite; `undefined` on PostgreSQL, or when
 * there is nothing to look up. Callers keep their own comparison on the real column.
 */
export function attributeKeyFilter(engine: SqlEngine, idColumn: string, kind: 'uuid' | 'value', keys: readonly string[]): Expression<SqlBool> | undefined {
  if (engine !== 'sqlite' || keys.length === 0) return undefined;
  const tokens = keys.map((k) => (kind === 'uuid' ? uuidKey(k) : valueKey(k)));
  return sql<SqlBool>`${sql.ref(idColumn)} in (${keyRowids(tokens)})`;
}

/**
 * The same narrowing for a key taken from another column of the query (a join):
 * `<idColumn> in (rowids whose keys match the UUID in <uuidColumn>)`.
 */
export function attributeUuidJoinFilter(engine: SqlEngine, idColumn: string, uuidColumn: string): Expression<SqlBool> | undefined {
  if (engine !== 'sqlite') return undefined;
  return sql<SqlBool>`${sql.ref(idColumn)} in (select rowid from attribute_keys where attribute_keys match '"u' || replace(replace(lower(${sql.ref(uuidColumn)}), '-', ''), '"', '""') || '"')`;
}

/**
 * `<idColumn> in (attributes holding a single IP address inside the block)`, from the `i` tokens;
 * `undefined` on PostgreSQL, where `ip_ranges` holds every address.
 */
export function ipBlockFilter(engine: SqlEngine, idColumn: string, range: IpRange): Expression<SqlBool> | undefined {
  if (engine !== 'sqlite') return undefined;
  return sql<SqlBool>`${sql.ref(idColumn)} in (${keyRowids(ipBlockQueries(range))})`;
}
