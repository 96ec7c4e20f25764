import type { OrganisationRecord } from '../model/records.js';
import type { ShadowAttributeRecord } from '../ports/store.js';
import type { Viewer } from '../ports/queries.js';
import { attributeValue, type MispJson } from './misp-json.js';

/** A proposal as MISP writes a ShadowAttribute (string ids). */
export function proposalJson(s: ShadowAttributeRecord, org?: OrganisationRecord): MispJson {
  const json: MispJson = {
    id: String(s.id),
    old_id: String(s.old_id),
    event_id: String(s.event_id),
    type: s.type,
    category: s.category,
    uuid: s.uuid,
    to_ids: s.to_ids,
    comment: s.comment,
    org_id: String(s.org_id),
    timestamp: String(s.timestamp),
    first_seen: s.first_seen,
    last_seen: s.last_seen,
    deleted: s.deleted,
    proposal_to_delete: s.proposal_to_delete,
    disable_correlation: s.disable_correlation,
    event_uuid: s.event_uuid,
    email: s.email,
    object_id: String(s.object_id),
    object_relation: s.object_relation,
    value: attributeValue(s),
  };
  if (org !== undefined) json.Org = { id: String(org.id), name: org.name, uuid: org.uuid };
  return json;
}

/** MISP's rule: the event's owner organisation and site admins see every proposal; others only their organisation's. */
export function canSeeProposal(viewer: Viewer, proposal: Pick<ShadowAttributeRecord, 'org_id'>, event: { org_id: number; orgc_id: number }): boolean {
  return viewer.siteAdmin || event.orgc_id === viewer.orgId || event.org_id === viewer.orgId || proposal.org_id === viewer.orgId;
}
