import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, t, ts, type AnyDb, type Col } from './columns.js';

/** Tables for sharing between organisations: sync state and logs, blocklists, feeds, and MISP data sets. */
const TABLES: Record<string, readonly Col[]> = {
  sync_cursors: [i('server_id'), t('direction'), ts('timestamp'), t('uuid'), ts('updated')],
  sync_logs: [i('server_id'), ts('created'), t('direction'), t('level'), t('event_uuid'), t('message'), t('details')],
  event_blocklists: [t('event_uuid'), t('event_info'), t('event_orgc'), t('comment'), ts('created')],
  org_blocklists: [t('org_uuid'), t('org_name'), t('comment'), ts('created')],
  feeds: [
    t('name'), t('provider'), t('url'), t('source_format', 'misp'), b('enabled'), b('caching_enabled'), i('distribution'),
    i('sharing_group_id'), i('tag_id'), t('input_source', 'network'), t('settings', '{}'), t('rules', '{}'), t('headers'),
    b('fixed_event'), i('event_id'), b('delta_merge'), b('lookup_visible'), ts('last_fetched'), t('last_error'), ts('created'),
  ],
  feed_events: [i('feed_id'), t('event_uuid'), ts('timestamp')],
  feed_value_hashes: [i('feed_id'), t('hash'), t('event_uuid')],
  intel_documents: [t('kind'), t('name'), t('version'), b('enabled', 1), t('document'), ts('updated')],
};

const INDEXES: ReadonlyArray<readonly [string, readonly string[], boolean?]> = [
  ['sync_cursors', ['server_id', 'direction'], true],
  ['sync_logs', ['server_id', 'created']],
  ['event_blocklists', ['event_uuid'], true],
  ['org_blocklists', ['org_uuid'], true],
  ['feeds', ['name'], true],
  ['feed_events', ['feed_id', 'event_uuid'], true],
  ['feed_value_hashes', ['hash']],
  ['feed_value_hashes', ['feed_id']],
  ['intel_documents', ['kind', 'name'], true],
];

/** Adds the sharing tables (issue 3). */
export function sharingMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, TABLES);
      await createIndexes(db, INDEXES);
    },
    async down(db: AnyDb): Promise<void> {
      for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).ifExists().execute();
    },
  };
}
