import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew. Preparing a multi-row
 * INSERT with thousands of placeholders costs about as much as running it, so
 * this keeps the most recently used statements (keyed by SQL text) and hands
 * them out again. A statement still being iterated (a streamed SELECT) is
 * busy and cannot be shared: the caller then gets a fresh one.
 */
export function cachingDatabase(native: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      native.close();
    },
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit !== undefined) {
        if (hit.busy) return native.prepare(sql);
        // Re-insert so the Map's order is least recently used first.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = native.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}
