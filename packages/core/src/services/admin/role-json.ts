import type { RoleRecord } from '../../model/records.js';
import type { MispJson } from '../../views/misp-json.js';
import { sqlDateTime } from './admin-options.js';

/** MISP's named data-access levels, by `permission` value ("0".."3"). */
export const PERMISSION_LEVELS = ['read_only', 'manage_own', 'manage_org', 'publish'] as const;

/** A data-access level: 0 read only, 1 manage own events, 2 manage the org's events, 3 publish. */
export type PermissionLevel = 0 | 1 | 2 | 3;

/** The flags a level stands for (MISP's Role::beforeSave). */
export function levelFlags(level: PermissionLevel): Pick<RoleRecord, 'perm_add' | 'perm_modify' | 'perm_modify_org' | 'perm_publish'> {
  return { perm_add: level >= 1, perm_modify: level >= 1, perm_modify_org: level >= 2, perm_publish: level === 3 };
}

/** The level a role's flags amount to (MISP's Role::afterFind). */
export function permissionLevel(role: Pick<RoleRecord, 'perm_add' | 'perm_modify' | 'perm_modify_org' | 'perm_publish'>): PermissionLevel {
  if (!role.perm_add || !role.perm_modify) return 0;
  if (!role.perm_modify_org) return 1;
  return role.perm_publish ? 3 : 2;
}

const FLAGS = [
  'perm_add', 'perm_modify', 'perm_modify_org', 'perm_publish', 'perm_delegate', 'perm_sync', 'perm_admin', 'perm_audit', 'perm_auth',
  'perm_site_admin', 'perm_regexp_access', 'perm_tagger', 'perm_template', 'perm_sharing_group', 'perm_tag_editor', 'perm_sighting',
  'perm_object_template', 'perm_galaxy_editor', 'perm_warninglist', 'perm_publish_zmq', 'perm_publish_kafka', 'perm_decaying',
] as const;

/** Every permission flag a role stores, in MISP's column order. */
export const ROLE_FLAGS: readonly (typeof FLAGS)[number][] = FLAGS;

/** A role as MISP shows it (roles/index, users/view/me): flags as booleans, plus `permission`. */
export function roleJson(role: RoleRecord): MispJson {
  const level = permissionLevel(role);
  const out: MispJson = { id: String(role.id), name: role.name, created: sqlDateTime(role.created), modified: sqlDateTime(role.modified) };
  for (const f of FLAGS) out[f] = role[f];
  // MISP 2.5 has a separate analyst-data flag; its default roles grant it with perm_add.
  out.perm_analyst_data = role.perm_add;
  out.default_role = role.default_role;
  out.memory_limit = role.memory_limit;
  out.max_execution_time = role.max_execution_time;
  out.restricted_to_site_admin = role.restricted_to_site_admin;
  out.enforce_rate_limit = role.enforce_rate_limit;
  out.rate_limit_count = String(role.rate_limit_count);
  out.permission = String(level);
  out.permission_description = PERMISSION_LEVELS[level];
  return out;
}
