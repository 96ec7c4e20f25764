import type { Migration } from 'kysely';
import type { AnyDb } from './columns.js';

/**
 * `ip_ranges` had two indexes on the start address: (family, ip_start) and
 * (is_cidr, family, ip_start). Both lookups (addresses inside a block, and all
 * blocks) name `is_cidr`, so the second serves them alone; the first only cost
 * a random B-tree page write per IP attribute at ingest.
 */
export function oneIpRangeIndexMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.dropIndex('ip_ranges_family_ip_start_idx').ifExists().execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.createIndex('ip_ranges_family_ip_start_idx').on('ip_ranges').columns(['family', 'ip_start']).execute();
    },
  };
}
