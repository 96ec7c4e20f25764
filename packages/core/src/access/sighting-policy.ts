import type { Viewer } from '../ports/queries.js';

/**
 * MISP's default sighting policy (`Plugin.Sightings_policy` 0, "event
 * owner"): a sighting is seen by the organisation that reported it and by the
 * organisation that owns its event; site admins see all. The event itself
 * must be visible too, which callers check first.
 */
export function canSeeSighting(viewer: Viewer, sighting: { readonly org_id: number }, event: { readonly org_id: number }): boolean {
  return viewer.siteAdmin || sighting.org_id === viewer.orgId || event.org_id === viewer.orgId;
}
