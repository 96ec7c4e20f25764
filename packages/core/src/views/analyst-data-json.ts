import type { AnalystDataRecord, AnalystKind, OrganisationRecord, SharingGroupRecord } from '../model/records.js';
import type { MispJson } from './misp-json.js';

/** MISP's numeric `note_type` of each kind. */
const NOTE_TYPE: Readonly<Record<AnalystKind, number>> = { Note: 0, Opinion: 1, Relationship: 2 };

function orgJson(org: OrganisationRecord | undefined, uuid: string): MispJson {
  return org === undefined ? { id: null, name: null, uuid } : { id: String(org.id), name: org.name, uuid: org.uuid, local: org.local };
}

/** The fields only one kind has, as MISP writes them. */
function kindFields(r: AnalystDataRecord): MispJson {
  switch (r.kind) {
    case 'Note':
      return { note: r.note };
    case 'Opinion':
      return { opinion: String(r.opinion), comment: r.comment };
    case 'Relationship':
      return { related_object_uuid: r.related_object_uuid, related_object_type: r.related_object_type, relationship_type: r.relationship_type };
  }
}

/**
 * One analyst data element as MISP writes it (string ids and numbers, MySQL datetimes), with its
 * organisations (looked up by UUID) and, at distribution 4, its sharing group.
 */
export function analystDataJson(r: AnalystDataRecord, orgs: ReadonlyMap<string, OrganisationRecord> = new Map(), sharingGroup?: SharingGroupRecord): MispJson {
  return {
    id: String(r.id),
    uuid: r.uuid,
    object_uuid: r.object_uuid,
    object_type: r.object_type,
    authors: r.authors,
    org_uuid: r.org_uuid,
    orgc_uuid: r.orgc_uuid,
    created: r.created,
    modified: r.modified,
    distribution: String(r.distribution),
    sharing_group_id: String(r.sharing_group_id),
    locked: r.locked,
    language: r.language,
    ...kindFields(r),
    note_type: NOTE_TYPE[r.kind],
    note_type_name: r.kind,
    Org: orgJson(orgs.get(r.org_uuid), r.org_uuid),
    Orgc: orgJson(orgs.get(r.orgc_uuid), r.orgc_uuid),
    ...(r.distribution === 4 && sharingGroup !== undefined ? { SharingGroup: { id: String(sharingGroup.id), name: sharingGroup.name, uuid: sharingGroup.uuid } } : {}),
  };
}

/** `{"Note": {...}}` (or Opinion, Relationship): how MISP answers add, edit, view and each index row. */
export function analystDataEnvelope(r: AnalystDataRecord, orgs?: ReadonlyMap<string, OrganisationRecord>, sharingGroup?: SharingGroupRecord): MispJson {
  return { [r.kind]: analystDataJson(r, orgs, sharingGroup) };
}
