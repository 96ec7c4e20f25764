import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { createIndexes, createTables, t, ts, type AnyDb } from './columns.js';

/**
 * MISP's library updates read the data sets again from disk: `intel_sources` keeps the folders
 * `waggle data import` read (one row per data set and folder), so `taxonomies|galaxies|warninglists/update`
 * can read them again; `intel_documents.required` is a taxonomy's `required` flag
 * (`taxonomies/toggleRequired`).
 */
export function intelSourcesMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, { intel_sources: [t('data_set'), t('path'), ts('created')] });
      await createIndexes(db, [['intel_sources', ['data_set', 'path'], true]]);
      await db.schema.alterTable('intel_documents').addColumn('required', 'smallint', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.alterTable('intel_documents').dropColumn('required').execute();
      await db.schema.dropTable('intel_sources').ifExists().execute();
    },
  };
}
