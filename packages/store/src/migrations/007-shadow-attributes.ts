import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, nt, t, ts, type AnyDb } from './columns.js';

/**
 * MISP's proposals (shadow attributes): a new attribute (`old_id` 0), a change to
 * an attribute or its deletion (`proposal_to_delete`), proposed by another organisation.
 */
export function shadowAttributesMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, {
        shadow_attributes: [
          t('uuid'), i('old_id'), i('event_id'), t('event_uuid'), i('org_id'), t('email'), t('type'), t('category'), t('value1'), t('value2'),
          b('to_ids'), t('comment'), nt('first_seen'), nt('last_seen'), ts('timestamp'), b('deleted'), b('proposal_to_delete'), b('disable_correlation'),
          i('object_id'), nt('object_relation'),
        ],
      });
      await createIndexes(db, [
        ['shadow_attributes', ['uuid'], true],
        ['shadow_attributes', ['event_id']],
        ['shadow_attributes', ['old_id']],
      ]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('shadow_attributes').ifExists().execute();
    },
  };
}
