import { sql, type Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { b, createIndexes, createTables, i, ni, nt, t, ts, type AnyDb, type Col } from './columns.js';

const TABLES: Record<string, readonly Col[]> = {
  organisations: [t('uuid'), t('name'), t('description'), t('type'), t('nationality'), t('sector'), t('contacts'), b('local', 1), t('restricted_to_domain'), t('landingpage'), i('created_by'), ts('date_created'), ts('date_modified')],
  roles: [
    t('name'), ...['perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_delegate', 'perm_sync', 'perm_admin', 'perm_audit', 'perm_auth', 'perm_site_admin', 'perm_regexp_access', 'perm_tagger', 'perm_template', 'perm_sharing_group', 'perm_tag_editor', 'perm_sighting', 'perm_object_template', 'perm_galaxy_editor', 'perm_warninglist', 'perm_publish_zmq', 'perm_publish_kafka', 'perm_decaying', 'default_role', 'restricted_to_site_admin', 'enforce_rate_limit'].map((n) => b(n)),
    i('rate_limit_count'), t('memory_limit'), t('max_execution_time'), ts('created'), ts('modified'),
  ],
  users: [t('email'), i('org_id'), i('role_id'), t('password_hash'), b('disabled'), b('autoalert'), b('contactalert'), b('termsaccepted'), b('change_pw'), i('nids_sid'), t('gpgkey'), t('certif_public'), { name: 'expiration', kind: 'nint' }, i('invited_by'), ts('date_created'), ts('date_modified'), ts('last_login'), ts('current_login')],
  auth_keys: [t('uuid'), t('authkey_hash'), t('authkey_start'), t('authkey_end'), i('user_id'), ts('created'), ts('expiration'), b('read_only'), t('comment'), t('allowed_ips')],
  sharing_groups: [t('uuid'), t('name'), t('description'), t('releasability'), t('organisation_uuid'), i('org_id'), i('sync_user_id'), b('active', 1), b('local', 1), b('roaming'), ts('created'), ts('modified')],
  sharing_group_orgs: [i('sharing_group_id'), i('org_id'), b('extend')],
  sharing_group_servers: [i('sharing_group_id'), i('server_id'), b('all_orgs')],
  servers: [t('name'), t('url'), t('authkey'), i('org_id'), i('remote_org_id'), b('push'), b('pull'), b('push_sightings'), b('push_galaxy_clusters'), b('pull_galaxy_clusters'), b('self_signed'), b('internal'), b('skip_proxy'), b('caching_enabled'), b('unpublish_event'), b('publish_without_email'), t('push_rules', '{}'), t('pull_rules', '{}'), i('lastpulledid'), i('lastpushedid'), i('priority')],
  events: [t('uuid'), i('org_id'), i('orgc_id'), i('user_id'), t('info'), t('date'), i('threat_level_id', 4), i('analysis'), i('distribution'), i('sharing_group_id'), b('published'), ts('publish_timestamp'), ts('timestamp'), i('attribute_count'), b('locked'), b('proposal_email_lock'), b('disable_correlation'), t('extends_uuid'), t('event_creator_email'), ts('sighting_timestamp'), b('protected')],
  attributes: [t('uuid'), i('event_id'), i('object_id'), nt('object_relation'), t('category'), t('type'), t('value1'), t('value2'), b('to_ids'), i('distribution'), i('sharing_group_id'), t('comment'), ts('timestamp'), b('deleted'), b('disable_correlation'), nt('first_seen'), nt('last_seen')],
  objects: [t('uuid'), i('event_id'), t('name'), t('meta_category'), t('description'), t('template_uuid'), t('template_version'), i('distribution'), i('sharing_group_id'), t('comment'), ts('timestamp'), b('deleted'), nt('first_seen'), nt('last_seen')],
  object_references: [t('uuid'), i('object_id'), i('event_id'), t('source_uuid'), t('referenced_uuid'), i('referenced_id'), i('referenced_type'), t('relationship_type'), t('comment'), ts('timestamp'), b('deleted')],
  tags: [t('name'), t('colour'), b('exportable', 1), i('org_id'), i('user_id'), b('hide_tag'), ni('numerical_value'), b('is_galaxy'), b('is_custom_galaxy'), b('local_only')],
  event_tags: [i('event_id'), i('tag_id'), b('local')],
  attribute_tags: [i('attribute_id'), i('event_id'), i('tag_id'), b('local')],
  sightings: [t('uuid'), i('attribute_id'), i('event_id'), i('org_id'), ts('date_sighting'), t('source'), i('type')],
  ip_ranges: [i('attribute_id'), i('event_id'), i('family'), t('ip_start'), t('ip_end'), b('is_cidr')],
  audit_logs: [ts('created'), i('user_id'), i('org_id'), t('ip'), t('action'), t('model'), i('model_id'), t('model_title'), t('change')],
};

const INDEXES: ReadonlyArray<readonly [table: string, columns: readonly string[], unique?: boolean]> = [
  ['organisations', ['uuid'], true],
  ['organisations', ['name'], true],
  ['roles', ['name'], true],
  ['users', ['email'], true],
  ['users', ['org_id']],
  ['auth_keys', ['authkey_start', 'authkey_end']],
  ['auth_keys', ['user_id']],
  ['auth_keys', ['uuid'], true],
  ['sharing_groups', ['uuid'], true],
  ['sharing_group_orgs', ['sharing_group_id', 'org_id'], true],
  ['sharing_group_orgs', ['org_id']],
  ['sharing_group_servers', ['sharing_group_id', 'server_id'], true],
  ['events', ['uuid'], true],
  ['events', ['timestamp']],
  ['events', ['publish_timestamp']],
  ['events', ['orgc_id']],
  ['events', ['org_id']],
  ['events', ['date']],
  ['attributes', ['uuid'], true],
  ['attributes', ['event_id']],
  ['attributes', ['object_id']],
  ['attributes', ['value1']],
  ['attributes', ['value2']],
  ['attributes', ['type']],
  ['attributes', ['timestamp']],
  ['objects', ['uuid'], true],
  ['objects', ['event_id']],
  ['objects', ['name']],
  ['object_references', ['uuid'], true],
  ['object_references', ['object_id']],
  ['object_references', ['event_id']],
  ['tags', ['name'], true],
  ['event_tags', ['event_id', 'tag_id'], true],
  ['event_tags', ['tag_id']],
  ['attribute_tags', ['attribute_id', 'tag_id'], true],
  ['attribute_tags', ['tag_id']],
  ['attribute_tags', ['event_id']],
  ['sightings', ['uuid'], true],
  ['sightings', ['attribute_id']],
  ['sightings', ['event_id']],
  ['ip_ranges', ['family', 'ip_start']],
  ['ip_ranges', ['is_cidr', 'family', 'ip_start']],
  ['ip_ranges', ['event_id']],
  ['ip_ranges', ['attribute_id']],
  ['audit_logs', ['created']],
  ['audit_logs', ['model', 'model_id']],
];


/** The initial schema: every table of the MISP core model, with indexes. */
export function coreSchemaMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, TABLES);
      await createIndexes(db, INDEXES);
      if (engine === 'postgres') {
        // Pattern searches (value LIKE 'abc%') use this operator-class index.
        await sql`create index attributes_value1_pattern_idx on attributes (value1 text_pattern_ops)`.execute(db);
      }
    },
    async down(db: AnyDb): Promise<void> {
      for (const table of [...Object.keys(TABLES)].reverse()) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
