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
  insert(table: string, columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): number[];
}

function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** Creates an inserter over a native SQLite handle, caching one statement per table and column list. */
export function nativeInserter(native: BetterSqlite3.Database): NativeInserter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    insert(table, columns, rows) {
      const key = `${table}(${columns.join(',')})`;
      let stmt = statements.get(key);
      if (stmt === undefined) {
        const quoted = columns.map((c) => `"${c}"`).join(', ');
        stmt = native.prepare(`insert into "${table}" (${quoted}) values (${columns.map(() => '?').join(', ')})`);
        statements.set(key, stmt);
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
