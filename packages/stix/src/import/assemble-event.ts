import { WAGGLE_STIX_NAMESPACE, parseStixId, uuidV5 } from '../common/ids.js';
import type { MispAttribute, MispEvent, MispEventReport, MispGalaxy, MispObject, MispOrganisation, MispTag } from '../common/misp-event.js';
import { SCO_TYPES, type StixObject } from '../common/stix-types.js';
import { readStixTime, unixSeconds } from '../common/timestamps.js';
import { CONTENT_TYPES, contentToMisp } from './content-to-misp.js';
import { objectTime, readLabels, text, type AttributeDraft, type Converted, type ObjectDraft } from './drafts.js';
import { GALAXY_TYPES, clusterFromStix, type ClusterDraft } from './galaxy-to-misp.js';
import { isEventReportNote, noteToEventReport } from './note-to-report.js';
import type { StixImportWarning } from './warnings.js';

// Types that are consumed as part of others (identities as Orgc, observables via observed-data, markings as tags);
// notes other than event reports (analyst comments, the empty-event note) have no MISP form and are left out silently.
const CONSUMED = new Set(['identity', 'marking-definition', 'report', 'note', 'extension-definition', 'language-content', ...SCO_TYPES]);

/** The event-level fields, from a report or made up for objects no report refers to. */
export interface EventHeader {
  readonly source: StixObject | undefined;
  readonly uuid: string;
  readonly info: string;
  readonly time: Date;
  readonly tags: readonly string[];
}

interface Links {
  readonly converted: Map<string, Converted>;
  readonly clusters: Map<string, ClusterDraft>;
  readonly attributeTags: Set<string>;
}

function addTag(tags: MispTag[], name: string): void {
  if (!tags.some((t) => t.name === name)) tags.push({ name });
}

function attributesOf(c: Converted | undefined): AttributeDraft[] {
  if (c === undefined) return [];
  return c.kind === 'attributes' ? [...c.attributes] : c.object.Attribute;
}

function firstUuid(c: Converted): string | undefined {
  return c.kind === 'object' ? c.object.uuid : c.attributes[0]?.uuid;
}

function applyRelationship(r: StixObject, links: Links, warnings: StixImportWarning[]): void {
  const source = text(r, 'source_ref') ?? '';
  const target = text(r, 'target_ref') ?? '';
  const from = links.converted.get(source);
  const cluster = links.clusters.get(target);
  if (from !== undefined && cluster !== undefined) {
    if (from.kind === 'attributes') for (const a of from.attributes) addTag(a.Tag, cluster.cluster.tag_name);
    links.attributeTags.add(target);
    return;
  }
  if (links.clusters.has(source) && cluster !== undefined) return; // actor `uses` tool: implied by the clusters themselves.
  const to = links.converted.get(target);
  if (from?.kind === 'object' && to !== undefined) {
    from.object.ObjectReference.push({
      uuid: parseStixId(r.id)?.uuid as string,
      object_uuid: from.object.uuid,
      referenced_uuid: firstUuid(to) as string,
      relationship_type: text(r, 'x_misp_relationship_type') ?? text(r, 'relationship_type') ?? 'related-to',
      comment: text(r, 'description') ?? '',
    });
    return;
  }
  warnings.push({ code: 'relationship_not_imported', objectId: r.id, message: `relationship ${r.id} (${source} → ${target}) has no MISP form` });
}

function applySighting(s: StixObject, links: Links, index: ReadonlyMap<string, StixObject>, warnings: StixImportWarning[]): void {
  const targets = s.type === 'sighting' ? [text(s, 'sighting_of_ref')] : Array.isArray(s.object_refs) ? s.object_refs : [];
  const where = Array.isArray(s.where_sighted_refs) && typeof s.where_sighted_refs[0] === 'string' ? index.get(s.where_sighted_refs[0]) : undefined;
  const org = where ?? (typeof s.created_by_ref === 'string' ? index.get(s.created_by_ref) : undefined);
  const organisation: MispOrganisation | undefined = org?.type === 'identity' && typeof org.name === 'string' ? { uuid: parseStixId(org.id)?.uuid as string, name: org.name } : undefined;
  const date = readStixTime(s.first_seen) ?? objectTime(s);
  const source = text(s, 'x_misp_source');
  const type = s.type === 'opinion' ? '1' : text(s, 'x_misp_sighting_type') ?? '0';
  for (const target of targets) {
    // A sighting of a MISP object lands on its first attribute: MISP sights attributes only.
    const attribute = typeof target === 'string' ? attributesOf(links.converted.get(target))[0] : undefined;
    if (attribute === undefined) {
      warnings.push({ code: 'missing_reference', objectId: s.id, message: `${s.type} ${s.id} refers to ${String(target)}, which did not become an attribute` });
      continue;
    }
    attribute.Sighting.push({
      uuid: parseStixId(s.id)?.uuid as string, type, date_sighting: unixSeconds(date),
      ...(source !== undefined ? { source } : {}), ...(organisation !== undefined ? { Organisation: organisation } : {}),
    });
  }
}

function finishAttribute(a: AttributeDraft): MispAttribute {
  const { Sighting, ...rest } = a;
  return Sighting.length > 0 ? { ...rest, Sighting } : rest;
}

function finishObject(o: ObjectDraft): MispObject {
  return { ...o, Attribute: o.Attribute.map(finishAttribute) };
}

/** Builds one MISP event from a header and the STIX objects it holds. */
export function assembleEvent(header: EventHeader, contents: readonly StixObject[], index: ReadonlyMap<string, StixObject>, warnings: StixImportWarning[]): MispEvent {
  const links: Links = { converted: new Map(), clusters: new Map(), attributeTags: new Set() };
  const deferred: StixObject[] = [];
  const reports: MispEventReport[] = [];
  for (const o of contents) {
    if (isEventReportNote(o)) {
      const r = noteToEventReport(o, warnings);
      if (r !== undefined && !reports.some((seen) => seen.uuid === r.uuid)) reports.push(r);
    } else if (CONTENT_TYPES.has(o.type)) {
      const c = contentToMisp(o, index, warnings);
      if (c !== undefined) links.converted.set(o.id, c);
    } else if (GALAXY_TYPES.has(o.type)) {
      const c = clusterFromStix(o);
      if (c === undefined) warnings.push({ code: 'invalid_object', objectId: o.id, message: `${o.id} has no name or galaxy type; it was left out` });
      else links.clusters.set(o.id, c);
    } else if (o.type === 'relationship' || o.type === 'sighting' || o.type === 'opinion') deferred.push(o);
    else if (!CONSUMED.has(o.type)) warnings.push({ code: 'unsupported_type', objectId: o.id, message: `STIX type "${o.type}" has no MISP form; ${o.id} was left out` });
  }
  for (const o of deferred) {
    if (o.type === 'relationship') applyRelationship(o, links, warnings);
    else applySighting(o, links, index, warnings);
  }
  const tags: MispTag[] = header.tags.map((name) => ({ name }));
  const galaxies = new Map<string, { type: string; name: string; GalaxyCluster: MispGalaxy['GalaxyCluster'][number][] }>();
  for (const [id, c] of links.clusters) {
    // Clusters only attributes point at stay attribute tags; the others are the event's.
    if (!links.attributeTags.has(id)) addTag(tags, c.cluster.tag_name);
    const galaxy = galaxies.get(c.galaxyType) ?? { type: c.galaxyType, name: c.galaxyName, GalaxyCluster: [] };
    galaxy.GalaxyCluster.push(c.cluster);
    galaxies.set(c.galaxyType, galaxy);
  }
  const converted = [...links.converted.values()];
  const src = header.source;
  const creator = src !== undefined && typeof src.created_by_ref === 'string' ? index.get(src.created_by_ref) : undefined;
  const published = src?.x_misp_published !== undefined ? src.x_misp_published === true : src !== undefined && readStixTime(src.published) !== undefined;
  const publishedAt = readStixTime(src?.published);
  const date = (src !== undefined ? text(src, 'x_misp_date') : undefined) ?? header.time.toISOString().slice(0, 10);
  const distribution = src !== undefined ? text(src, 'x_misp_distribution') : undefined;
  return {
    uuid: header.uuid,
    info: header.info,
    date,
    timestamp: unixSeconds(header.time),
    published,
    ...(published && publishedAt !== undefined ? { publish_timestamp: unixSeconds(publishedAt) } : {}),
    ...(distribution !== undefined ? { distribution } : {}),
    threat_level_id: (src !== undefined ? text(src, 'x_misp_threat_level_id') : undefined) ?? '4',
    analysis: (src !== undefined ? text(src, 'x_misp_analysis') : undefined) ?? '0',
    ...(creator?.type === 'identity' && typeof creator.name === 'string' ? { Orgc: { uuid: parseStixId(creator.id)?.uuid as string, name: creator.name } } : {}),
    Tag: tags,
    Attribute: converted.flatMap((c) => (c.kind === 'attributes' ? c.attributes.map(finishAttribute) : [])),
    Object: converted.flatMap((c) => (c.kind === 'object' ? [finishObject(c.object)] : [])),
    Galaxy: [...galaxies.values()],
    ...(reports.length > 0 ? { EventReport: reports } : {}),
  };
}

/** The header of the event a report becomes. */
export function reportHeader(report: StixObject): EventHeader {
  return { source: report, uuid: parseStixId(report.id)?.uuid as string, info: text(report, 'name') ?? '', time: objectTime(report), tags: readLabels(report).tags };
}

/** The header of the event that collects objects no report refers to; its uuid derives from the bundle's. */
export function orphanHeader(bundleId: string, bundleUuid: string, contents: readonly StixObject[]): EventHeader {
  const latest = contents.reduce((t, o) => Math.max(t, objectTime(o).getTime()), 0);
  return { source: undefined, uuid: uuidV5(WAGGLE_STIX_NAMESPACE, `orphans|${bundleUuid}`), info: `STIX bundle ${bundleId}`, time: new Date(latest), tags: [] };
}
