import { sql, type Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { VALUE_KEY_FUNCTION } from '../db/attribute-keys.js';
import { createIndexes, type AnyDb } from './columns.js';

/** The key row of attribute `r` (`new` or `old` in a trigger). */
const keyRow = (r: string): string => `${r}.id, 'u' || replace(lower(${r}.uuid), '-', '') || ' ' || ${VALUE_KEY_FUNCTION}(${r}.value1)`;

/**
 * SQLite: attribute UUIDs and values move from two B-tree indexes to the FTS5 key
 * table `attribute_keys` (see db/attribute-keys.ts and ADR 0017). Existing
 * attributes are keyed here. Updates and deletes keep the keys in step through
 * triggers; inserts write their keys in the store's one insert path instead
 * (repos/attributes.ts), because FTS5 flushes its pending keys at the end of
 * every statement that writes it from a trigger, and a segment per inserted row
 * made ingest five times slower (measured: 13,900 against 40,200 rows/s).
 * Uniqueness of UUIDs, which the unique index gave, is checked by the store
 * before it inserts (db/uuid-guard.ts).
 * PostgreSQL keeps its indexes: nothing changes there.
 */
export function attributeKeysMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (engine !== 'sqlite') return;
      await sql`create virtual table attribute_keys using fts5(k, content='', contentless_delete=1, detail=none, tokenize='ascii')`.execute(db);
      // Merge 8 segments of a level at a time (default 4), and never all of a level at once below 64:
      // fewer passes over each key as the store grows, and no long stall in one commit (docs/benchmarks.md).
      await sql`insert into attribute_keys (attribute_keys, rank) values ('automerge', 8)`.execute(db);
      await sql`insert into attribute_keys (attribute_keys, rank) values ('crisismerge', 64)`.execute(db);
      await sql.raw(`insert into attribute_keys (rowid, k) select ${keyRow('a')} from attributes a`).execute(db);
      await sql.raw('create trigger attributes_keys_delete after delete on attributes begin delete from attribute_keys where rowid = old.id; end').execute(db);
      await sql.raw(`create trigger attributes_keys_update after update of id, uuid, value1 on attributes begin delete from attribute_keys where rowid = old.id; insert into attribute_keys (rowid, k) values (${keyRow('new')}); end`).execute(db);
      await sql`drop index if exists attributes_uuid_idx`.execute(db);
      await sql`drop index if exists attributes_value1_idx`.execute(db);
    },
    async down(db: AnyDb): Promise<void> {
      if (engine !== 'sqlite') return;
      for (const t of ['delete', 'update']) await sql.raw(`drop trigger if exists attributes_keys_${t}`).execute(db);
      await sql`drop table if exists attribute_keys`.execute(db);
      await createIndexes(db, [['attributes', ['uuid'], true], ['attributes', ['value1']]]);
    },
  };
}
