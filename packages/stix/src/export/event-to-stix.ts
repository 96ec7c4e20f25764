import { WAGGLE_STIX_NAMESPACE, uuidV5 } from '../common/ids.js';
import { stixTimestamp } from '../common/timestamps.js';
import { tlpMarkingDefinition } from '../common/tlp.js';
import type { StixBundle, StixObject } from '../common/stix-types.js';
import { attributeToStix } from './attributes.js';
import { eventReportNotes } from './event-reports.js';
import type { AttributeModel, ClusterModel, EventModel } from './event-model.js';
import { baseProperties, createExportContext, rawUuidProperty, tagProperties, type ExportContext } from './export-context.js';
import { attributeClusterRelationship, clusterStixId, clusterToStix, eventClusterRelationships } from './galaxy.js';
import { objectToStix } from './objects.js';
import { readEvent } from './read-event.js';
import { referencesToStix } from './references.js';
import { sightingsToStix } from './sightings.js';

/** Options of the MISP → STIX export. */
export interface EventToStixOptions {
  /** Time for events that carry neither `timestamp` nor `date` (default: the current time). */
  readonly now?: () => Date;
}

function register(context: ExportContext, raw: string | undefined, uuid: string, stixId: string): void {
  context.stixIdByMispUuid.set(uuid, stixId);
  if (raw !== undefined && !context.stixIdByMispUuid.has(raw)) context.stixIdByMispUuid.set(raw, stixId);
}

function addCluster(context: ExportContext, added: Set<string>, c: ClusterModel): void {
  const id = clusterStixId(c);
  if (added.has(id)) return;
  added.add(id);
  context.objects.push(clusterToStix(context, c));
}

function addAttribute(context: ExportContext, clusters: Set<string>, a: AttributeModel): void {
  const made = attributeToStix(context, a);
  const main = made[0] as StixObject;
  register(context, a.rawUuid, a.uuid, main.id);
  context.objects.push(...made);
  for (const c of a.clusters) {
    addCluster(context, clusters, c);
    context.objects.push(attributeClusterRelationship(context, main.id, c));
  }
  context.objects.push(...sightingsToStix(context, main.id, a.sightings));
}

function report(context: ExportContext, refs: readonly string[]): StixObject {
  const e = context.event;
  const published = e.published && e.publishTimestamp !== undefined ? e.publishTimestamp : e.timestamp;
  return {
    ...baseProperties(context, 'report', e.uuid, e.timestamp),
    name: e.info,
    report_types: ['threat-report'],
    published: stixTimestamp(published),
    ...tagProperties(context, e.tags),
    object_refs: refs,
    ...rawUuidProperty(e.rawUuid),
    x_misp_published: e.published,
    ...(e.date !== undefined ? { x_misp_date: e.date } : {}),
    ...(e.distribution !== undefined ? { x_misp_distribution: e.distribution } : {}),
    ...(e.threatLevelId !== undefined ? { x_misp_threat_level_id: e.threatLevelId } : {}),
    ...(e.analysis !== undefined ? { x_misp_analysis: e.analysis } : {}),
  };
}

// STIX requires a report to refer to something; an empty event refers to this note (misp-stix does the same).
function emptyEventNote(context: ExportContext): StixObject {
  return {
    ...baseProperties(context, 'note', uuidV5(WAGGLE_STIX_NAMESPACE, `empty|${context.event.uuid}`), undefined),
    content: 'This MISP event is empty: it has no attribute, object or galaxy.',
    object_refs: [`report--${context.event.uuid}`],
    labels: ['misp:empty-event'],
  };
}

function convert(event: EventModel): StixObject[] {
  const context = createExportContext(event);
  const clusters = new Set<string>();
  for (const c of event.clusters) addCluster(context, clusters, c);
  context.objects.push(...eventClusterRelationships(context, event.clusters));
  for (const a of event.attributes) addAttribute(context, clusters, a);
  for (const o of event.objects) {
    const made = objectToStix(context, o);
    const main = made[0] as StixObject;
    register(context, o.rawUuid, o.uuid, main.id);
    for (const a of o.attributes) register(context, a.rawUuid, a.uuid, main.id);
    context.objects.push(...made);
    for (const a of o.attributes) context.objects.push(...sightingsToStix(context, main.id, a.sightings));
  }
  for (const o of event.objects) context.objects.push(...referencesToStix(context, o).relationships);
  context.objects.push(...eventReportNotes(context));
  const content = [...context.identities.values(), ...context.objects];
  if (content.length === 0 || context.objects.length === 0) content.push(emptyEventNote(context));
  const reportObject = report(context, content.map((o) => o.id));
  const markings = [...context.markings].sort().map((id) => tlpMarkingDefinition(id) as StixObject);
  const [identities, rest] = [content.filter((o) => o.type === 'identity'), content.filter((o) => o.type !== 'identity')];
  return [...identities, reportObject, ...rest, ...markings];
}

/**
 * A MISP event (`{Event: …}` or bare, as `events/view` returns it) as the
 * STIX 2.1 objects of its bundle, without the bundle wrapper: identity of the
 * creator org, the report, then everything the report refers to, then the
 * TLP marking definitions used. Ids derive from MISP uuids, so exporting the
 * same event twice gives the same objects. Throws InputError for a malformed event.
 */
export function eventToStixObjects(event: unknown, options: EventToStixOptions = {}): StixObject[] {
  return convert(readEvent(event, options.now ?? (() => new Date())));
}

/** The same objects as {@link eventToStixObjects} in a bundle whose id derives from the event uuid. */
export function eventToStix(event: unknown, options: EventToStixOptions = {}): StixBundle {
  const model = readEvent(event, options.now ?? (() => new Date()));
  return { type: 'bundle', id: `bundle--${uuidV5(WAGGLE_STIX_NAMESPACE, `bundle|${model.uuid}`)}`, objects: convert(model) };
}
