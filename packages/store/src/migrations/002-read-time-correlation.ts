import { type Kysely, type Migration } from 'kysely';

/**
 * Value correlation moved to read time over the attribute value indexes
 * (ADR 0004): the per-value tables of the first schema are no longer written
 * or read, so stores created before the change drop them.
 */
export function readTimeCorrelationMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('correlation_values').ifExists().execute();
      await db.schema.dropTable('correlation_counts').ifExists().execute();
    },
    async down(): Promise<void> {
      // Nothing to restore: the dropped tables held derived data only.
    },
  };
}
