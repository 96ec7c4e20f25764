import type { RoleRecord } from '../../model/records.js';
import type { New } from '../../ports/store.js';

type Flag = Extract<keyof RoleRecord, `perm_${string}`>;

/** A role with only the given permissions. */
export function roleWith(name: string, now: number, granted: readonly Flag[], defaultRole = false): New<RoleRecord> {
  const r: New<RoleRecord> = {
    name,
    perm_add: false, perm_modify: false, perm_modify_org: false, perm_publish: false, perm_delegate: false, perm_sync: false,
    perm_admin: false, perm_audit: false, perm_auth: false, perm_site_admin: false, perm_regexp_access: false, perm_tagger: false,
    perm_template: false, perm_sharing_group: false, perm_tag_editor: false, perm_sighting: false, perm_object_template: false,
    perm_galaxy_editor: false, perm_warninglist: false, perm_publish_zmq: false, perm_publish_kafka: false, perm_decaying: false,
    default_role: defaultRole, restricted_to_site_admin: false, enforce_rate_limit: false, rate_limit_count: 0,
    memory_limit: '', max_execution_time: '', created: now, modified: now,
  };
  for (const f of granted) r[f] = true;
  return r;
}

const USER: readonly Flag[] = ['perm_add', 'perm_modify', 'perm_modify_org', 'perm_audit', 'perm_auth', 'perm_tagger', 'perm_sighting', 'perm_decaying'];
const PUBLISHER: readonly Flag[] = [...USER, 'perm_publish', 'perm_publish_zmq', 'perm_publish_kafka', 'perm_delegate'];

/**
 * MISP's six default roles (INSTALL/MYSQL.sql), in id order: admin, Org Admin,
 * User (the default role), Publisher, Sync user, Read Only.
 */
export function defaultRoles(now: number): New<RoleRecord>[] {
  const all = Object.keys(roleWith('', 0, [])).filter((k) => k.startsWith('perm_')) as Flag[];
  return [
    roleWith('admin', now, all),
    roleWith('Org Admin', now, [...PUBLISHER, 'perm_admin', 'perm_template', 'perm_sharing_group', 'perm_tag_editor']),
    roleWith('User', now, USER, true),
    roleWith('Publisher', now, PUBLISHER),
    roleWith('Sync user', now, [...PUBLISHER, 'perm_sync', 'perm_sharing_group', 'perm_tag_editor']),
    roleWith('Read Only', now, ['perm_audit', 'perm_auth']),
  ];
}
