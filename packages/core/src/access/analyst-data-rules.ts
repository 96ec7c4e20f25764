import { ForbiddenError } from '@waggle/errors';
import type { AnalystDataRecord } from '../model/records.js';
import type { Viewer } from '../ports/queries.js';
import type { Principal } from './principal.js';

/** Whether the element's own distribution lets a viewer (of the organisation with this UUID) see it (5: its parent decides). */
export function distributionAllows(viewer: Viewer, orgUuid: string, r: AnalystDataRecord): boolean {
  if (viewer.siteAdmin) return true;
  if (r.orgc_uuid === orgUuid || r.org_uuid === orgUuid) return true;
  if (r.distribution === 0) return false;
  if (r.distribution === 4) return viewer.sharingGroupIds.includes(r.sharing_group_id);
  return true;
}

/**
 * Whether a principal may edit or delete analyst data: a site admin, or a user of its creator
 * organisation (MISP's canEditAnalystData) whose role may add data (MISP asks perm_analyst_data,
 * which waggle's roles fold into perm_add); never with a read-only key.
 */
export function canChangeAnalystData(p: Principal, r: AnalystDataRecord): boolean {
  if (p.readOnly) return false;
  return p.role.perm_site_admin || (r.orgc_uuid === p.org.uuid && p.role.perm_add);
}

/** Throws forbidden unless {@link canChangeAnalystData}. */
export function requireChangeAnalystData(p: Principal, r: AnalystDataRecord): void {
  if (!canChangeAnalystData(p, r)) throw new ForbiddenError(`Only the creator organisation can change this ${r.kind.toLowerCase()}.`);
}
