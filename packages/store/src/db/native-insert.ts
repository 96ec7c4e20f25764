import type BetterSqlite3 from 'better-sqlite3';

/**
 * Bulk inserts straight through better-sqlite3, for the hot write path
 * (attributes of large events). Building a multi-row INSERT through the
 * query builder and binding thousands of parameters cost as much as SQLite's
 * own work; one cached single-row statement run in a loop inside the open
 * transaction costs a fraction. SQLite only, and only inside `Store.write`,
 * where the transaction holds the single connection.
 */
export interface NativeInserter {
  /** Inserts rows (all with the given columns) and returns their ids in order. */
  insert(table: string, columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[], options?: InsertOptions): number[];
}

/** How rows that break a unique index are treated: an error (default), or skipped (`insert or ignore`). */
export interface InsertOptions {
  readonly ignoreDuplicates?: boolean;
}

/** The single-row INSERT a bulk insert runs for every row. */
function insertSql(table: string, columns: readonly string[], ignoreDuplicates: boolean): string {
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  return `insert${ignoreDuplicates ? ' or ignore' : ''} into "${table}" (${quoted}) values (${columns.map(() => '?').join(', ')})`;
}

/** A value as SQLite binds it (booleans as 0/1, missing as NULL). */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** Creates an inserter over a native SQLite handle, caching one statement per table and column list. */
export function nativeInserter(native: BetterSqlite3.Database): NativeInserter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    insert(table, columns, rows, options = {}) {
      const sql = insertSql(table, columns, options.ignoreDuplicates === true);
      let stmt = statements.get(sql);
      if (stmt === undefined) {
        stmt = native.prepare(sql);
        statements.set(sql, stmt);
      }
      const ids: number[] = [];
      const values: unknown[] = new Array<unknown>(columns.length);
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) values[i] = bindable(row[columns[i] as string]);
        ids.push(Number(stmt.run(values).lastInsertRowid));
      }
      return ids;
    },
  };
}
