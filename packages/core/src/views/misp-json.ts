import type {
  AttributeRecord,
  EventRecord,
  ObjectRecord,
  ObjectReferenceRecord,
  OrganisationRecord,
  SightingRecord,
  TagRecord,
} from '../model/records.js';
import type { AttachedTag } from '../ports/store.js';

/** A MISP JSON object (what the API returns and exports contain). */
export type MispJson = Record<string, unknown>;

/** MySQL's datetime form of a Unix time, in UTC ("YYYY-MM-DD HH:MM:SS"), as MISP writes `created`/`modified` of logs and analyst data. */
export function mysqlDatetime(unix: number): string {
  return new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** The inverse of {@link mysqlDatetime}: Unix seconds of a UTC "YYYY-MM-DD HH:MM:SS" (0 when unreadable). */
export function mysqlDatetimeSeconds(s: string): number {
  const ms = Date.parse(`${s.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

const s = (n: number | null | undefined): string | null => (n === null || n === undefined ? null : String(n));

/** An organisation as MISP shows it inside events (`Org`, `Orgc`). */
export function orgSummaryJson(org: OrganisationRecord | undefined, id: number): MispJson {
  return { id: String(id), name: org?.name ?? 'unknown', uuid: org?.uuid ?? '', local: org?.local ?? true };
}

/** A full organisation (organisations/view). */
export function organisationJson(org: OrganisationRecord): MispJson {
  return {
    id: String(org.id),
    name: org.name,
    date_created: new Date(org.date_created * 1000).toISOString().replace('T', ' ').slice(0, 19),
    date_modified: new Date(org.date_modified * 1000).toISOString().replace('T', ' ').slice(0, 19),
    description: org.description,
    type: org.type,
    nationality: org.nationality,
    sector: org.sector,
    created_by: String(org.created_by),
    uuid: org.uuid,
    contacts: org.contacts,
    local: org.local,
    restricted_to_domain: org.restricted_to_domain === '' ? [] : org.restricted_to_domain.split(',').map((d) => d.trim()),
    landingpage: org.landingpage,
  };
}

/** Attached tags grouped by the event or attribute they are attached to. */
export function groupByTarget(tags: readonly AttachedTag[]): Map<number, AttachedTag[]> {
  const out = new Map<number, AttachedTag[]>();
  for (const t of tags) {
    const list = out.get(t.target_id);
    if (list === undefined) out.set(t.target_id, [t]);
    else list.push(t);
  }
  return out;
}

/** Attached tags as MISP JSON (`Tag` lists), grouped by target. */
export function groupTags(tags: readonly AttachedTag[]): Map<number, MispJson[]> {
  const out = new Map<number, MispJson[]>();
  for (const [target, list] of groupByTarget(tags)) out.set(target, list.map((t) => tagJson(t.tag, t.local)));
  return out;
}

/** A tag; `local` is set when shown as attached to an event or attribute. */
export function tagJson(tag: TagRecord, local?: boolean): MispJson {
  const out: MispJson = {
    id: String(tag.id),
    name: tag.name,
    colour: tag.colour,
    exportable: tag.exportable,
    org_id: String(tag.org_id),
    user_id: String(tag.user_id),
    hide_tag: tag.hide_tag,
    numerical_value: s(tag.numerical_value),
    is_galaxy: tag.is_galaxy,
    is_custom_galaxy: tag.is_custom_galaxy,
    local_only: tag.local_only,
  };
  if (local !== undefined) out.local = local ? 1 : 0;
  return out;
}

/** The attribute's value as MISP shows it: composite types joined with `|`. */
export function attributeValue(a: Pick<AttributeRecord, 'value1' | 'value2'>): string {
  return a.value2 === '' ? a.value1 : `${a.value1}|${a.value2}`;
}

/** An attribute; `extra` carries Tag, Sighting, RelatedAttribute, Event… as needed. */
export function attributeJson(a: AttributeRecord, extra: MispJson = {}): MispJson {
  return {
    id: String(a.id),
    type: a.type,
    category: a.category,
    to_ids: a.to_ids,
    uuid: a.uuid,
    event_id: String(a.event_id),
    distribution: String(a.distribution),
    timestamp: String(a.timestamp),
    comment: a.comment,
    sharing_group_id: String(a.sharing_group_id),
    deleted: a.deleted,
    disable_correlation: a.disable_correlation,
    object_id: String(a.object_id),
    object_relation: a.object_relation,
    first_seen: a.first_seen,
    last_seen: a.last_seen,
    value: attributeValue(a),
    ...extra,
  };
}

/** An object reference. */
export function referenceJson(r: ObjectReferenceRecord): MispJson {
  return {
    id: String(r.id),
    uuid: r.uuid,
    timestamp: String(r.timestamp),
    object_id: String(r.object_id),
    referenced_id: String(r.referenced_id),
    referenced_type: String(r.referenced_type),
    relationship_type: r.relationship_type,
    comment: r.comment,
    deleted: r.deleted,
    event_id: String(r.event_id),
    source_uuid: r.source_uuid,
    referenced_uuid: r.referenced_uuid,
  };
}

/** An object with its attributes and references. */
export function objectJson(o: ObjectRecord, attributes: MispJson[], references: MispJson[]): MispJson {
  return {
    id: String(o.id),
    name: o.name,
    'meta-category': o.meta_category,
    description: o.description,
    template_uuid: o.template_uuid,
    template_version: o.template_version,
    event_id: String(o.event_id),
    uuid: o.uuid,
    timestamp: String(o.timestamp),
    distribution: String(o.distribution),
    sharing_group_id: String(o.sharing_group_id),
    comment: o.comment,
    deleted: o.deleted,
    first_seen: o.first_seen,
    last_seen: o.last_seen,
    ObjectReference: references,
    Attribute: attributes,
  };
}

/**
 * The event's own fields (events/index rows and the head of events/view).
 * `event_creator_email` only with `creatorEmail`: MISP shows who created an event to site
 * admins and to the creator organisation's own users, never in the index.
 */
export function eventHeadJson(e: EventRecord, options: { creatorEmail?: boolean } = {}): MispJson {
  return {
    id: String(e.id),
    orgc_id: String(e.orgc_id),
    org_id: String(e.org_id),
    date: e.date,
    threat_level_id: String(e.threat_level_id),
    info: e.info,
    published: e.published,
    uuid: e.uuid,
    attribute_count: String(e.attribute_count),
    analysis: String(e.analysis),
    timestamp: String(e.timestamp),
    distribution: String(e.distribution),
    proposal_email_lock: e.proposal_email_lock,
    locked: e.locked,
    publish_timestamp: String(e.publish_timestamp),
    sharing_group_id: String(e.sharing_group_id),
    disable_correlation: e.disable_correlation,
    extends_uuid: e.extends_uuid,
    protected: e.protected ? true : null,
    ...(options.creatorEmail === true ? { event_creator_email: e.event_creator_email } : {}),
  };
}

/** A sighting. */
export function sightingJson(x: SightingRecord, org?: OrganisationRecord): MispJson {
  const out: MispJson = {
    id: String(x.id),
    attribute_id: String(x.attribute_id),
    event_id: String(x.event_id),
    org_id: String(x.org_id),
    date_sighting: String(x.date_sighting),
    uuid: x.uuid,
    source: x.source,
    type: String(x.type),
  };
  if (org !== undefined) out.Organisation = { id: String(org.id), uuid: org.uuid, name: org.name };
  return out;
}
