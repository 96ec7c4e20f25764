import { ForbiddenError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import type { OrganisationRecord, RoleRecord, UserRecord } from '../../model/records.js';
import type { Ref, Repositories } from '../../ports/store.js';

/** The organisation with this id, UUID or name, or not_found. */
export async function organisationByRef(repos: Repositories, ref: Ref): Promise<OrganisationRecord> {
  const org = await repos.getOrganisation(ref);
  if (org === undefined) throw new NotFoundError('Invalid organisation.');
  return org;
}

/** The role with this id (or name), or not_found. */
export async function roleByRef(repos: Repositories, ref: Ref): Promise<RoleRecord> {
  const id = typeof ref === 'number' ? ref : /^[0-9]+$/.test(ref) ? Number(ref) : undefined;
  const role = id !== undefined ? await repos.getRole(id) : (await repos.listRoles()).find((r) => r.name.toLowerCase() === String(ref).toLowerCase());
  if (role === undefined) throw new NotFoundError('Invalid role.');
  return role;
}

/** The user with this id or e-mail address (`me` is the caller), or not_found. */
export async function userByRef(repos: Repositories, p: Principal, ref: Ref): Promise<UserRecord> {
  const user = await repos.getUser(ref === 'me' ? p.user.id : ref);
  if (user === undefined) throw new NotFoundError('Invalid user.');
  return user;
}

/** Throws forbidden for read-only auth keys, which may read but never change anything. */
export function requireWritable(p: Principal, action: string): void {
  if (p.readOnly) throw new ForbiddenError(`This auth key is read-only; it cannot ${action}.`);
}

/**
 * MISP's user administration rule: site admins manage everyone; org admins manage
 * the users of their own organisation, except site admins.
 */
export function canAdministerUser(p: Principal, target: UserRecord, targetRole: RoleRecord | undefined): boolean {
  if (p.readOnly) return false;
  if (p.role.perm_site_admin) return true;
  return p.role.perm_admin && target.org_id === p.org.id && targetRole?.perm_site_admin !== true;
}

/** Whether the principal may see this user at all (self, own org for org admins, everyone for site admins). */
export function canSeeUser(p: Principal, target: UserRecord): boolean {
  if (p.role.perm_site_admin || target.id === p.user.id) return true;
  return p.role.perm_admin && target.org_id === p.org.id;
}
