import { ForbiddenError } from '@waggle/errors';
import type { EventRecord, RoleRecord } from '../model/records.js';
import type { Principal } from './principal.js';

/** Role permission flags, by MISP's column names. */
export type Permission = Extract<keyof RoleRecord, `perm_${string}`>;

/**
 * MISP's answer when its ACL (ACLComponent::checkAccess) refuses an action to the caller's role:
 * a missing role flag, a site-admin-only action, or a read-only auth key (MISP clears every flag
 * but `perm_auth` and `perm_audit` of such a key). PyMISP's live tests compare this text.
 */
export const ACL_DENIED = 'You do not have permission to use this functionality.';

/**
 * Throws forbidden unless the principal's role has the permission (site admins have all). `action`
 * says what was refused; it goes in the error's details, the message is MISP's.
 */
export function requirePermission(p: Principal, perm: Permission, action: string): void {
  if (p.readOnly && perm !== 'perm_auth') throw new ForbiddenError(ACL_DENIED, { action });
  if (p.role.perm_site_admin) return;
  if (!p.role[perm]) throw new ForbiddenError(ACL_DENIED, { action });
}

/** Throws forbidden when the principal is not a site admin (MISP's site-admin-only ACL entries). */
export function requireSiteAdmin(p: Principal, action: string): void {
  if (p.readOnly || !p.role.perm_site_admin) throw new ForbiddenError(ACL_DENIED, { action });
}

/** Throws forbidden unless site admin, or org admin acting on their own organisation. */
export function requireOrgAdmin(p: Principal, orgId: number, action: string): void {
  if (p.readOnly || !(p.role.perm_site_admin || p.role.perm_admin)) throw new ForbiddenError(ACL_DENIED, { action });
  if (p.role.perm_site_admin) return;
  if (p.org.id === orgId) return;
  throw new ForbiddenError(`You do not have permission to ${action}.`);
}

/**
 * MISP's edit rule: site admins edit anything; otherwise the event must belong to
 * the user's organisation and the role needs perm_modify_org, or perm_modify for
 * events the user created.
 */
export function canModifyEvent(p: Principal, event: EventRecord): boolean {
  if (p.readOnly) return false;
  if (p.role.perm_site_admin) return true;
  if (event.orgc_id !== p.org.id && event.org_id !== p.org.id) return false;
  if (p.role.perm_modify_org) return true;
  return p.role.perm_modify && event.user_id === p.user.id;
}

/** Throws forbidden when {@link canModifyEvent} is false. */
export function requireModifyEvent(p: Principal, event: EventRecord): void {
  if (!canModifyEvent(p, event)) throw new ForbiddenError('You do not have permission to modify this event.');
}
