import { sql, type Migration } from 'kysely';
import { IP_TYPES } from '@waggle/misp';
import type { SqlEngine } from '../db/engine.js';
import { ATTRIBUTE_KEY_FUNCTION, VALUE_KEY_FUNCTION } from '../db/attribute-keys.js';
import { ipRangeRows } from '../repos/correlations.js';
import { chunks } from '../db/rows.js';
import { createIndexes, type AnyDb } from './columns.js';

const BATCH = 5000;

/** The attributes whose key row changes: a value2, or an IP. */
const REKEYED = `value2 != '' or type in (${IP_TYPES.map((t) => `'${t}'`).join(', ')})`;

/**
 * SQLite (ADR 0019): value2 and single IP addresses join UUID and value1 in the
 * FTS5 key table `attribute_keys` (db/attribute-keys.ts), and leave their B-tree
 * indexes: `attributes(value2)` is dropped, and `ip_ranges` keeps only IP blocks
 * (CIDR), whose rows are few. Both indexes took random keys, so every insert
 * dirtied pages all over them: with them, a commit wrote 141 WAL pages on average,
 * 60 without (measured on the benchmark's first 200,000 attributes).
 * The update trigger now re-keys an attribute when its type or value2 changes too.
 * PostgreSQL keeps its indexes and `ip_ranges` rows: nothing changes there.
 */
export function moreAttributeKeysMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      if (engine !== 'sqlite') return;
      await sql`drop trigger if exists attributes_keys_update`.execute(db);
      await sql.raw(`create trigger attributes_keys_update after update of id, uuid, type, value1, value2 on attributes begin
        delete from attribute_keys where rowid = old.id;
        insert into attribute_keys (rowid, k) values (new.id, ${ATTRIBUTE_KEY_FUNCTION}(new.uuid, new.type, new.value1, new.value2)); end`).execute(db);
      await sql.raw(`delete from attribute_keys where rowid in (select id from attributes where ${REKEYED})`).execute(db);
      await sql.raw(`insert into attribute_keys (rowid, k) select id, ${ATTRIBUTE_KEY_FUNCTION}(uuid, type, value1, value2) from attributes where ${REKEYED}`).execute(db);
      await sql`delete from ip_ranges where is_cidr = 0`.execute(db);
      await sql`drop index if exists attributes_value2_idx`.execute(db);
    },
    async down(db: AnyDb): Promise<void> {
      if (engine !== 'sqlite') return;
      await sql`drop trigger if exists attributes_keys_update`.execute(db);
      await sql.raw(`create trigger attributes_keys_update after update of id, uuid, value1 on attributes begin
        delete from attribute_keys where rowid = old.id;
        insert into attribute_keys (rowid, k) values (new.id, 'u' || replace(lower(new.uuid), '-', '') || ' ' || ${VALUE_KEY_FUNCTION}(new.value1)); end`).execute(db);
      await sql.raw(`delete from attribute_keys where rowid in (select id from attributes where ${REKEYED})`).execute(db);
      await sql.raw(`insert into attribute_keys (rowid, k) select id, 'u' || replace(lower(uuid), '-', '') || ' ' || ${VALUE_KEY_FUNCTION}(value1) from attributes where ${REKEYED}`).execute(db);
      await createIndexes(db, [['attributes', ['value2']]]);
      // Single addresses back into ip_ranges, as migration 013 stored them.
      let after = 0;
      for (;;) {
        const { rows } = await sql<{ id: number; event_id: number; type: string; value1: string; value2: string }>`
          select id, event_id, type, value1, value2 from attributes where id > ${after} and type in (${sql.join(IP_TYPES)}) order by id limit ${BATCH}`.execute(db);
        const last = rows[rows.length - 1];
        if (last === undefined) return;
        const singles = ipRangeRows(rows.map((r) => ({ ...r, id: Number(r.id), event_id: Number(r.event_id) }))).filter((r) => !r.is_cidr);
        for (const part of chunks(singles, 1000)) {
          const values = part.map((r) => sql`(${r.attribute_id}, ${r.event_id}, ${r.family}, ${r.ip_start}, ${r.ip_end}, 0)`);
          await sql`insert into ip_ranges (attribute_id, event_id, family, ip_start, ip_end, is_cidr) values ${sql.join(values)}`.execute(db);
        }
        after = Number(last.id);
      }
    },
  };
}
