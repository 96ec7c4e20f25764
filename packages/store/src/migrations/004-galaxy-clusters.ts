import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, t, ts, type AnyDb, type Col } from './columns.js';

/** Custom galaxy clusters (MISP 2.4.13x+): clusters organisations create and sync, with their elements and relations. */
const TABLES: Record<string, readonly Col[]> = {
  galaxy_clusters: [
    t('uuid'), t('collection_uuid'), t('type'), t('galaxy_uuid'), t('value'), t('tag_name'), t('description'), t('source'),
    t('authors', '[]'), ts('version'), i('distribution'), i('sharing_group_id'), i('org_id'), i('orgc_id'), b('default'),
    b('locked'), t('extends_uuid'), ts('extends_version'), b('published'), b('deleted'), ts('timestamp'), ts('created'),
  ],
  galaxy_elements: [i('galaxy_cluster_id'), t('key'), t('value')],
  galaxy_cluster_relations: [
    i('galaxy_cluster_id'), t('galaxy_cluster_uuid'), t('referenced_galaxy_cluster_uuid'), t('referenced_galaxy_cluster_type'),
    i('distribution'), i('sharing_group_id'), b('default'),
  ],
};

const INDEXES: ReadonlyArray<readonly [string, readonly string[], boolean?]> = [
  ['galaxy_clusters', ['uuid'], true],
  ['galaxy_clusters', ['tag_name']],
  ['galaxy_clusters', ['timestamp']],
  ['galaxy_elements', ['galaxy_cluster_id']],
  ['galaxy_cluster_relations', ['galaxy_cluster_id']],
];

/** Adds the custom galaxy cluster tables (issue 3). */
export function galaxyClustersMigration(engine: SqlEngine): Migration {
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
