import type { Viewer } from '../ports/queries.js';

/** The fields visibility depends on. */
export interface Distributed {
  readonly distribution: number;
  readonly sharing_group_id: number;
}

/**
 * MISP's event rule: owner org, distribution 1–3, or distribution 4 with a
 * sharing group the viewer's org may see. Site admins see everything; events
 * of the viewer's hidden creator organisations (UMA producers) nothing else.
 */
export function canSeeEvent(viewer: Viewer, event: Distributed & { readonly org_id: number; readonly orgc_id: number }): boolean {
  if (viewer.siteAdmin) return true;
  if (viewer.hiddenCreatorOrgIds?.includes(event.orgc_id) === true) return false;
  if (event.org_id === viewer.orgId) return true;
  if (event.distribution >= 1 && event.distribution <= 3) return true;
  return event.distribution === 4 && viewer.sharingGroupIds.includes(event.sharing_group_id);
}

/** MISP's rule for an attribute or object inside a visible event (5 = inherit from the event). */
export function canSeeElement(viewer: Viewer, element: Distributed, event: { readonly org_id: number }): boolean {
  if (viewer.siteAdmin || event.org_id === viewer.orgId) return true;
  if (element.distribution === 0) return false;
  if (element.distribution === 4) return viewer.sharingGroupIds.includes(element.sharing_group_id);
  return true;
}
