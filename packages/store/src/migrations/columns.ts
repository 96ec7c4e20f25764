import type { CreateTableBuilder, Kysely } from 'kysely';
import type { SqlEngine } from '../db/engine.js';

/** Any database, for migrations (they run before the typed schema exists). */
export type AnyDb = Kysely<unknown>;
export type Builder = CreateTableBuilder<string, never>;

/** A column in a migration: its name, kind and default. */
export interface Col {
  readonly name: string;
  readonly kind: 'text' | 'int' | 'bool' | 'bigint' | 'ntext' | 'nint' | 'float';
  readonly def?: string | number;
}

export const t = (name: string, def = ''): Col => ({ name, kind: 'text', def });
export const i = (name: string, def = 0): Col => ({ name, kind: 'int', def });
export const b = (name: string, def = 0): Col => ({ name, kind: 'bool', def });
export const ts = (name: string): Col => ({ name, kind: 'bigint', def: 0 });
export const nt = (name: string): Col => ({ name, kind: 'ntext' });
export const ni = (name: string): Col => ({ name, kind: 'nint' });


/** Adds a column with the engine's type for its kind (booleans as 0/1 smallints on both engines). */
export function addColumn(builder: Builder, col: Col, engine: SqlEngine): Builder {
  switch (col.kind) {
    case 'text':
      return builder.addColumn(col.name, 'text', (c) => c.notNull().defaultTo(col.def ?? ''));
    case 'ntext':
      return builder.addColumn(col.name, 'text');
    case 'int':
      return builder.addColumn(col.name, engine === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull().defaultTo(col.def ?? 0));
    case 'nint':
      return builder.addColumn(col.name, engine === 'postgres' ? 'bigint' : 'integer');
    case 'bigint':
      return builder.addColumn(col.name, 'bigint', (c) => c.notNull().defaultTo(col.def ?? 0));
    case 'bool':
      return builder.addColumn(col.name, 'smallint', (c) => c.notNull().defaultTo(col.def ?? 0));
    case 'float':
      return builder.addColumn(col.name, 'double precision', (c) => c.notNull().defaultTo(0));
  }
}

/** Creates tables with an integer primary key `id` and the given columns. */
export async function createTables(db: AnyDb, engine: SqlEngine, tables: Readonly<Record<string, readonly Col[]>>): Promise<void> {
  for (const [table, cols] of Object.entries(tables)) {
    let builder = db.schema.createTable(table) as unknown as Builder;
    builder = engine === 'postgres'
      ? builder.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : builder.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    for (const col of cols) builder = addColumn(builder, col, engine);
    await builder.execute();
  }
}

/** Creates indexes named `<table>_<columns>_idx`. */
export async function createIndexes(db: AnyDb, indexes: ReadonlyArray<readonly [table: string, columns: readonly string[], unique?: boolean]>): Promise<void> {
  for (const [table, columns, unique] of indexes) {
    let ix = db.schema.createIndex(`${table}_${columns.join('_')}_idx`).on(table).columns([...columns]);
    if (unique === true) ix = ix.unique();
    await ix.execute();
  }
}
