import type { OrganisationRecord, RoleRecord, UserRecord } from '../model/records.js';
import type { Viewer } from '../ports/queries.js';

/** An authenticated caller: the user, their role and organisation, and what they may see. */
export interface Principal {
  readonly user: UserRecord;
  readonly role: RoleRecord;
  readonly org: OrganisationRecord;
  readonly viewer: Viewer;
  /** True when the key used is a read-only auth key. */
  readonly readOnly: boolean;
  /** Where the request came from (for the audit log). */
  readonly ip: string;
}

/** Builds the viewer (visibility context) of a user. */
export function viewerOf(user: UserRecord, role: RoleRecord, sharingGroupIds: readonly number[]): Viewer {
  return { userId: user.id, orgId: user.org_id, siteAdmin: role.perm_site_admin, sharingGroupIds };
}
