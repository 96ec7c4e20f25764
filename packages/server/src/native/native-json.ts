import type { MispJson } from '@waggle/core';

/**
 * waggle's native JSON shapes. MISP's wire format sends every number as a
 * string, wraps each record in its model name and spells dates three ways;
 * the native API answers with typed JSON (numbers, booleans, ISO 8601 times)
 * and plain names, converted here from the MISP views the core builds, so
 * both APIs always agree on content.
 */

/** An organisation as the native API shows it. */
export interface NativeOrganisation {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
}

/** An attribute as the native API shows it. */
export interface NativeAttribute {
  readonly id: number;
  readonly uuid: string;
  readonly event_id: number;
  readonly object_id: number | null;
  readonly object_relation: string | null;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly distribution: number;
  readonly sharing_group_id: number | null;
  readonly comment: string;
  readonly deleted: boolean;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly updated_at: string;
  readonly tags: string[];
}

/** An object (a group of attributes following a template) as the native API shows it. */
export interface NativeObject {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly meta_category: string;
  readonly template_uuid: string | null;
  readonly distribution: number;
  readonly comment: string;
  readonly deleted: boolean;
  readonly updated_at: string;
  readonly attributes: NativeAttribute[];
  readonly references: { uuid: string; referenced_uuid: string; relationship_type: string; comment: string }[];
}

/** An event summary (list answers). */
export interface NativeEventSummary {
  readonly id: number;
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly threat_level: ThreatLevel;
  readonly analysis: Analysis;
  readonly distribution: number;
  readonly sharing_group_id: number | null;
  readonly published: boolean;
  readonly published_at: string | null;
  readonly updated_at: string;
  readonly attribute_count: number;
  readonly org: NativeOrganisation;
  readonly creator_org: NativeOrganisation;
  readonly tags: string[];
}

/** A full event. */
export interface NativeEvent extends NativeEventSummary {
  readonly attributes: NativeAttribute[];
  readonly objects: NativeObject[];
  readonly galaxy_clusters: { galaxy: string; value: string; uuid: string; tag: string }[];
  readonly related_events: { id: number; uuid: string; info: string; date: string; creator_org: string }[];
}

export const THREAT_LEVELS = ['high', 'medium', 'low', 'undefined'] as const;
export type ThreatLevel = (typeof THREAT_LEVELS)[number];
export const ANALYSIS_STATES = ['initial', 'ongoing', 'completed'] as const;
export type Analysis = (typeof ANALYSIS_STATES)[number];

type J = MispJson;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);
const num = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};
const idOrNull = (v: unknown): number | null => (num(v) > 0 ? num(v) : null);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
/** Unix seconds (as MISP sends them) to ISO 8601. */
const iso = (v: unknown): string => new Date(num(v) * 1000).toISOString();
const tagNames = (v: unknown): string[] => list(v).map((t) => str(isObj(t.Tag) ? t.Tag.name : t.name)).filter((n) => n !== '');

function organisation(v: unknown): NativeOrganisation {
  const o = isObj(v) ? v : {};
  return { id: num(o.id), uuid: str(o.uuid), name: str(o.name) };
}

/** MISP attribute JSON → native attribute. */
export function nativeAttribute(a: J): NativeAttribute {
  return {
    id: num(a.id),
    uuid: str(a.uuid),
    event_id: num(a.event_id),
    object_id: idOrNull(a.object_id),
    object_relation: strOrNull(a.object_relation),
    type: str(a.type),
    category: str(a.category),
    value: str(a.value),
    to_ids: bool(a.to_ids),
    distribution: num(a.distribution),
    sharing_group_id: idOrNull(a.sharing_group_id),
    comment: str(a.comment),
    deleted: bool(a.deleted),
    first_seen: strOrNull(a.first_seen),
    last_seen: strOrNull(a.last_seen),
    updated_at: iso(a.timestamp),
    tags: tagNames(a.Tag),
  };
}

function nativeObject(o: J): NativeObject {
  return {
    id: num(o.id),
    uuid: str(o.uuid),
    name: str(o.name),
    meta_category: str(o['meta-category'] ?? o.meta_category),
    template_uuid: strOrNull(o.template_uuid),
    distribution: num(o.distribution),
    comment: str(o.comment),
    deleted: bool(o.deleted),
    updated_at: iso(o.timestamp),
    attributes: list(o.Attribute).map(nativeAttribute),
    references: list(o.ObjectReference).map((r) => ({ uuid: str(r.uuid), referenced_uuid: str(r.referenced_uuid), relationship_type: str(r.relationship_type), comment: str(r.comment) })),
  };
}

/** MISP event JSON (an index row or a full view, with or without the `Event` wrapper) → native summary. */
export function nativeEventSummary(json: J): NativeEventSummary {
  const e = isObj(json.Event) ? json.Event : json;
  const tags = e.Tag !== undefined ? tagNames(e.Tag) : list(e.EventTag).map((t) => str(isObj(t.Tag) ? t.Tag.name : '')).filter((n) => n !== '');
  return {
    id: num(e.id),
    uuid: str(e.uuid),
    info: str(e.info),
    date: str(e.date),
    threat_level: THREAT_LEVELS[Math.min(Math.max(num(e.threat_level_id), 1), 4) - 1] ?? 'undefined',
    analysis: ANALYSIS_STATES[Math.min(Math.max(num(e.analysis), 0), 2)] ?? 'initial',
    distribution: num(e.distribution),
    sharing_group_id: idOrNull(e.sharing_group_id),
    published: bool(e.published),
    published_at: bool(e.published) && num(e.publish_timestamp) > 0 ? iso(e.publish_timestamp) : null,
    updated_at: iso(e.timestamp),
    attribute_count: num(e.attribute_count),
    org: organisation(e.Org),
    creator_org: organisation(e.Orgc),
    tags,
  };
}

/** A full MISP event view → native event. */
export function nativeEvent(json: J): NativeEvent {
  const e = isObj(json.Event) ? json.Event : json;
  const clusters = list(e.Galaxy).flatMap((g) =>
    list(g.GalaxyCluster).map((c) => ({ galaxy: str(g.type ?? g.name), value: str(c.value), uuid: str(c.uuid), tag: str(c.tag_name) })),
  );
  return {
    ...nativeEventSummary(e),
    attributes: list(e.Attribute).map(nativeAttribute),
    objects: list(e.Object).map(nativeObject),
    galaxy_clusters: clusters,
    related_events: list(e.RelatedEvent).map((r) => {
      const re = isObj(r.Event) ? r.Event : r;
      return { id: num(re.id), uuid: str(re.uuid), info: str(re.info), date: str(re.date), creator_org: str(isObj(re.Orgc) ? re.Orgc.name : '') };
    }),
  };
}
