import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, t, ts, type AnyDb } from './columns.js';

/** MISP's event reports: a named Markdown text inside an event, with its own distribution. */
export function eventReportsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, {
        event_reports: [t('uuid'), i('event_id'), t('name'), t('content'), i('distribution', 5), i('sharing_group_id'), ts('timestamp'), b('deleted')],
      });
      await createIndexes(db, [
        ['event_reports', ['uuid'], true],
        ['event_reports', ['event_id']],
      ]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('event_reports').ifExists().execute();
    },
  };
}
