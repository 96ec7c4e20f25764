import type { Kysely, Transaction } from 'kysely';
import { NotFoundError } from '@waggle/errors';
import type { SqlEngine } from './engine.js';
import type { NativeInserter } from './native-insert.js';
import type { UuidGuard } from './uuid-guard.js';
import { BOOLEAN_COLUMNS, type Database } from './schema.js';

/** What every repository works on: a handle (maybe a transaction) and the engine. */
export interface RepoContext {
  readonly db: Kysely<Database> | Transaction<Database>;
  readonly engine: SqlEngine;
  /** SQLite inside a write transaction: bulk inserts bypass the query builder (see native-insert.ts). */
  readonly native?: NativeInserter;
  /** SQLite inside a write transaction: the check that attribute UUIDs are new (see uuid-guard.ts). */
  readonly uuidGuard?: UuidGuard;
}

/** Converts a raw row (0/1 booleans) into a record (true/false). */
export function fromRow<R>(table: keyof Database, row: unknown): R {
  const cols = BOOLEAN_COLUMNS[table];
  const out = { ...(row as Record<string, unknown>) };
  if (cols !== undefined) {
    for (const c of cols) {
      if (c in out) out[c] = out[c] === 1 || out[c] === true || out[c] === '1';
    }
  }
  return out as R;
}

/** Converts many raw rows. */
export function fromRows<R>(table: keyof Database, rows: readonly unknown[]): R[] {
  return rows.map((r) => fromRow<R>(table, r));
}

/** Whether a reference is a UUID rather than an integer id or a name. */
export function isUuid(ref: string): boolean {
  return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(ref);
}

/** Parses an integer id given as a number or a decimal string; undefined otherwise. */
export function asId(ref: number | string): number | undefined {
  if (typeof ref === 'number') return Number.isSafeInteger(ref) && ref > 0 ? ref : undefined;
  return /^[1-9][0-9]{0,15}$/.test(ref) ? Number(ref) : undefined;
}

/** Throws not_found when an update touched no row. */
export function mustExist<T>(value: T | undefined, what: string, id: number): T {
  if (value === undefined) throw new NotFoundError(`${what} ${id} not found`);
  return value;
}

/** Splits a list into chunks, to stay under the engines' bound-parameter limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A patch without explicit `undefined`s or a stray id; undefined when nothing is left to change. */
export function changes<P extends object>(patch: P): P | undefined {
  const entries = Object.entries(patch).filter(([k, v]) => k !== 'id' && v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as P);
}

/** The stored (lower-case, dashed) form of a UUID reference, and the reference as given. */
export function uuidForms(ref: string): string[] {
  const hex = ref.replace(/-/g, '').toLowerCase();
  const dashed = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return dashed === ref ? [ref] : [dashed, ref];
}
