import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { createIndexes, createTables, t, type AnyDb } from './columns.js';

/**
 * Server settings changed through the API (MISP's `system_settings` table): one row per setting
 * that differs from its default, the value as JSON so that its type survives.
 */
export function systemSettingsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, { system_settings: [t('setting'), t('value')] });
      await createIndexes(db, [['system_settings', ['setting'], true]]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('system_settings').ifExists().execute();
    },
  };
}
