import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, t, type AnyDb } from './columns.js';

/**
 * MISP 2.5 analyst data (notes, opinions, relationships) in ONE table with a `kind` column:
 * the three share all their common fields, a UUID identifies one element whatever its kind
 * (MISP looks an unknown UUID up across the kinds), and the lookups that matter — everything
 * attached to a set of UUIDs, for views and for the cascade when an event goes — are then one
 * indexed query instead of three. The few kind-specific columns stay empty for the other kinds.
 */
export function analystDataMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, {
        analyst_data: [
          t('uuid'),
          t('kind'),
          t('object_uuid'),
          t('object_type'),
          t('authors'),
          t('org_uuid'),
          t('orgc_uuid'),
          t('created'),
          t('modified'),
          i('distribution', 5),
          i('sharing_group_id'),
          b('locked'),
          t('language'),
          t('note'),
          i('opinion'),
          t('comment'),
          t('related_object_uuid'),
          t('related_object_type'),
          t('relationship_type'),
        ],
      });
      await createIndexes(db, [
        ['analyst_data', ['uuid'], true],
        ['analyst_data', ['object_uuid']],
        ['analyst_data', ['kind']],
      ]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('analyst_data').ifExists().execute();
    },
  };
}
