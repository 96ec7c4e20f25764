import { InputError } from '@waggle/errors';
import { optBool, optInt, optString } from '../../input/coerce.js';
import { unwrap } from '../../input/parse-misp.js';
import type { RoleRecord } from '../../model/records.js';
import { PERMISSION_LEVELS, ROLE_FLAGS, type PermissionLevel } from './role-json.js';

/** A role as given by a client. `permission` (a level) overrides the four event flags it covers. */
export interface RoleInput {
  readonly name?: string;
  readonly permission?: PermissionLevel;
  readonly flags: Partial<Pick<RoleRecord, (typeof ROLE_FLAGS)[number]>>;
  readonly restricted_to_site_admin?: boolean;
  readonly enforce_rate_limit?: boolean;
  readonly rate_limit_count?: number;
  readonly memory_limit?: string;
  readonly max_execution_time?: string;
}

function level(value: unknown): PermissionLevel | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const named = typeof value === 'string' ? PERMISSION_LEVELS.indexOf(value as (typeof PERMISSION_LEVELS)[number]) : -1;
  if (named !== -1) return named as PermissionLevel;
  return optInt(value, 'Role.permission', 0, 3) as PermissionLevel;
}

/** Parses `{"Role": {...}}` or a bare role. */
export function parseRoleInput(body: unknown): RoleInput {
  const r = unwrap(body ?? {}, 'Role');
  const name = optString(r.name, 'Role.name', 100)?.trim();
  if (name === '') throw new InputError('Role.name must not be empty', { field: 'Role.name' });
  const flags: Record<string, boolean> = {};
  for (const f of ROLE_FLAGS) {
    const v = optBool(r[f], `Role.${f}`);
    if (v !== undefined) flags[f] = v;
  }
  const out: Record<string, unknown> = {
    name,
    permission: level(r.permission),
    flags,
    restricted_to_site_admin: optBool(r.restricted_to_site_admin, 'Role.restricted_to_site_admin'),
    enforce_rate_limit: optBool(r.enforce_rate_limit, 'Role.enforce_rate_limit'),
    rate_limit_count: optInt(r.rate_limit_count, 'Role.rate_limit_count', 0),
    memory_limit: optString(r.memory_limit, 'Role.memory_limit', 255),
    max_execution_time: optString(r.max_execution_time, 'Role.max_execution_time', 255),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as RoleInput;
}
