import type {
  OrganisationRecord,
  ServerRecord,
  SharingGroupOrgRecord,
  SharingGroupRecord,
  SharingGroupServerRecord,
} from '../../model/records.js';
import { orgSummaryJson, type MispJson } from '../../views/misp-json.js';
import { sqlDateTime } from './admin-options.js';

/** What one sharing group is shown with. */
export interface SharingGroupParts {
  readonly sg: SharingGroupRecord;
  readonly orgs: ReadonlyMap<number, OrganisationRecord>;
  readonly members: readonly SharingGroupOrgRecord[];
  readonly servers: readonly SharingGroupServerRecord[];
  readonly serverRecords: ReadonlyMap<number, ServerRecord>;
  readonly editable: boolean;
}

/** The sharing group's own fields. */
export function sharingGroupHeadJson(sg: SharingGroupRecord, orgCount?: number): MispJson {
  const out: MispJson = {
    id: String(sg.id),
    uuid: sg.uuid,
    name: sg.name,
    releasability: sg.releasability,
    description: sg.description,
    organisation_uuid: sg.organisation_uuid,
    org_id: String(sg.org_id),
    sync_user_id: String(sg.sync_user_id),
    active: sg.active,
    created: sqlDateTime(sg.created),
    modified: sqlDateTime(sg.modified),
    local: sg.local,
    roaming: sg.roaming,
  };
  if (orgCount !== undefined) out.org_count = String(orgCount);
  return out;
}

function serverJson(id: number, server: ServerRecord | undefined): MispJson {
  if (id === 0) return { id: '0', name: 'Local instance', url: '', remote_org_id: '0' };
  return { id: String(id), name: server?.name ?? 'unknown', url: server?.url ?? '', remote_org_id: String(server?.remote_org_id ?? 0) };
}

/** A sharing group with its creator organisation, member organisations and servers (MISP's view shape). */
export function sharingGroupJson(parts: SharingGroupParts): MispJson {
  const { sg, orgs, members, servers, serverRecords } = parts;
  return {
    SharingGroup: sharingGroupHeadJson(sg, members.length),
    Organisation: orgSummaryJson(orgs.get(sg.org_id), sg.org_id),
    SharingGroupOrg: members.map((m) => ({
      id: String(m.id),
      sharing_group_id: String(m.sharing_group_id),
      org_id: String(m.org_id),
      extend: m.extend,
      Organisation: orgSummaryJson(orgs.get(m.org_id), m.org_id),
    })),
    SharingGroupServer: servers.map((s) => ({
      id: String(s.id),
      sharing_group_id: String(s.sharing_group_id),
      server_id: String(s.server_id),
      all_orgs: s.all_orgs,
      Server: serverJson(s.server_id, serverRecords.get(s.server_id)),
    })),
    editable: parts.editable,
    deletable: parts.editable,
  };
}
