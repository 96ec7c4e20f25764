import { sql, type Migration } from 'kysely';
import { IP_TYPES } from '@waggle/misp';
import { chunks } from '../db/rows.js';
import { ipRangeRows } from '../repos/correlations.js';
import type { AnyDb } from './columns.js';

const BATCH = 5000;

interface Row {
  readonly id: number | string;
  readonly event_id: number | string;
  readonly type: string;
  readonly value1: string;
  readonly value2: string;
}

/**
 * `ip_ranges` held the ranges of correlating attributes only, so a CIDR search missed IP
 * attributes that were deleted, had correlation disabled or sat in an event that did. It now
 * indexes every IP attribute (correlation checks its rules when it reads); this fills in the
 * rows of attributes stored before, a batch of ids at a time.
 */
export function ipRangesForAllMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      let after = 0;
      for (;;) {
        const { rows } = await sql<Row>`
          select a.id, a.event_id, a.type, a.value1, a.value2 from attributes a
          where a.id > ${after} and a.type in (${sql.join(IP_TYPES)})
            and not exists (select 1 from ip_ranges r where r.attribute_id = a.id)
          order by a.id limit ${BATCH}`.execute(db);
        const last = rows[rows.length - 1];
        if (last === undefined) return;
        const ranges = ipRangeRows(rows.map((r) => ({ id: Number(r.id), event_id: Number(r.event_id), type: r.type, value1: r.value1, value2: r.value2 })));
        for (const part of chunks(ranges, 1000)) {
          const values = part.map((r) => sql`(${r.attribute_id}, ${r.event_id}, ${r.family}, ${r.ip_start}, ${r.ip_end}, ${r.is_cidr ? 1 : 0})`);
          await sql`insert into ip_ranges (attribute_id, event_id, family, ip_start, ip_end, is_cidr) values ${sql.join(values)}`.execute(db);
        }
        after = Number(last.id);
      }
    },
    async down(): Promise<void> {
      // The extra rows are derived data that correlation ignores; nothing to undo.
    },
  };
}
