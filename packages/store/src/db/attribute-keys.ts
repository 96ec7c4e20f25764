import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlEngine } from './engine.js';

/**
 * The SQLite lookup keys of attributes: UUID and value1, in a contentless FTS5
 * table (`attribute_keys`, rowid = attribute id) instead of two B-tree indexes.
 *
 * Why (ADR 0017, docs/benchmarks.md): UUIDs and values are random keys, so every
 * insert into a B-tree index lands on a different page, and every page a
 * transaction touches is written to the WAL again and checkpointed again. At 1M
 * attributes the two indexes took over half of the ingest time. FTS5 keeps its
 * index as an LSM (sorted segments written sequentially, merged in the
 * background of later writes), which costs a fraction of that per key and stays
 * flat as the store grows. Lookups cost tens of microseconds.
 *
 * Each row holds two tokens: `u` + the UUID's 32 hex digits, and `v` + a 64-bit
 * hash of value1 (hex). A lookup narrows attributes to the matching rowids and
 * the query still compares the real column, so hash collisions cost nothing but
 * one extra row read. The store's one insert path writes the keys of new
 * attributes ({@link attributeKeyRows}); triggers (migration 018) follow every
 * update and delete, whatever code path makes it, and call
 * {@link VALUE_KEY_FUNCTION}, which {@link registerKeyFunctions} adds to every
 * connection waggle opens. PostgreSQL keeps its B-tree indexes (it has no WAL
 * page cost of this kind at this scale), and every helper here answers
 * `undefined` for it.
 */

/** The SQL function (registered per connection) giving the key token of a value (`v…`, as {@link valueKey}). */
export const VALUE_KEY_FUNCTION = 'waggle_value_key';

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

/** The key token of an attribute UUID (`u` + its hex digits, lower case). */
export function uuidKey(uuid: string): string {
  return `u${uuid.replace(/[^0-9a-fA-F]/g, '').toLowerCase()}`;
}

/** The `attribute_keys` rows (rowid = attribute id) of inserted attributes. */
export function attributeKeyRows(attributes: readonly { readonly id: number; readonly uuid: string; readonly value1: string }[]): { rowid: number; k: string }[] {
  return attributes.map((a) => ({ rowid: a.id, k: `${uuidKey(a.uuid)} ${valueKey(a.value1)}` }));
}

/** Registers the key function the triggers of `attribute_keys` call; every SQLite connection needs it. */
export function registerKeyFunctions(native: BetterSqlite3.Database): void {
  native.function(VALUE_KEY_FUNCTION, { deterministic: true }, (v: unknown) => valueKey(v === null || v === undefined ? '' : String(v)));
}

/**
 * Rowids of `attribute_keys` holding any of the tokens. One token is one MATCH; several are
 * matched one by one from a JSON list: FTS5 evaluates `a OR b OR …` by stepping every term
 * for every row, and 500 terms took 200 ms where one MATCH per term took 29 ms (measured).
 */
function keyRowids(tokens: readonly string[]): RawBuilder<unknown> {
  const unique = [...new Set(tokens)];
  if (unique.length === 1) return sql`select rowid from attribute_keys where attribute_keys match ${unique[0]}`;
  return sql`select f.rowid from json_each(${JSON.stringify(unique)}) t join attribute_keys f on f.attribute_keys match t.value`;
}

/**
 * `<idColumn> in (rowids whose keys match)`: the narrowing condition for a lookup of
 * attributes by UUID or by exact value1 on SQLite; `undefined` on PostgreSQL, or when
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
