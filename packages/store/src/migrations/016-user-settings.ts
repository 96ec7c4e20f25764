import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { createIndexes, createTables, i, t, ts, type AnyDb } from './columns.js';

/**
 * MISP's per-user settings (`user_settings`): one row per user and setting name, the value as
 * the JSON text MISP stores, and the Unix time it was last set.
 */
export function userSettingsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, { user_settings: [i('user_id'), t('setting'), t('value', '[]'), ts('timestamp')] });
      await createIndexes(db, [['user_settings', ['user_id', 'setting'], true]]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('user_settings').ifExists().execute();
    },
  };
}
