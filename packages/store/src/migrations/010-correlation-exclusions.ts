import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, t, type AnyDb } from './columns.js';

/** MISP's correlation exclusions: values that never correlate. */
export function correlationExclusionsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, { correlation_exclusions: [t('value'), b('from_json'), t('comment')] });
      await createIndexes(db, [['correlation_exclusions', ['value'], true]]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('correlation_exclusions').ifExists().execute();
    },
  };
}
