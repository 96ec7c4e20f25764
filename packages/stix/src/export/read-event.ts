import { InputError } from '@waggle/errors';
import { WAGGLE_STIX_NAMESPACE, isStixUuid, uuidV5 } from '../common/ids.js';
import { stixUuid } from './stix-uuid.js';
import { readMispDate, readMispTime } from '../common/timestamps.js';
import type { AttributeModel, EventModel, ObjectModel, OrgModel, ReferenceModel, SightingModel } from './event-model.js';
import { clustersWithTags, readGalaxies } from './read-galaxies.js';
import { readEventReports } from './read-reports.js';
import { describe, flag, isJsonObject, listOf, optionalText, requiredText, tagNames, type Json } from './read-fields.js';

type UuidMap = Map<string, string>;

function readOrg(parent: Json, key: string, path: string): OrgModel | undefined {
  const org = parent[key];
  if (org === undefined || org === null) return undefined;
  if (!isJsonObject(org)) throw new InputError(`${path}.${key} must be an object, got ${describe(org)}`, { field: `${path}.${key}` });
  const name = optionalText(org, 'name', `${path}.${key}`);
  const uuid = optionalText(org, 'uuid', `${path}.${key}`);
  if (name === undefined || name === '') return undefined;
  return { name, uuid: isStixUuid(uuid) ? uuid.toLowerCase() : uuidV5(WAGGLE_STIX_NAMESPACE, `org|${uuid ?? name}`) };
}

function readSightings(attribute: Json, path: string, seed: string): SightingModel[] {
  return listOf(attribute, 'Sighting', path).map((s, i) => {
    const sPath = `${path}.Sighting[${i}]`;
    const ids = stixUuid(optionalText(s, 'uuid', sPath), `${seed}|sighting|${i}`);
    return {
      ...ids,
      type: optionalText(s, 'type', sPath) ?? '0',
      date: readMispTime(s.date_sighting),
      source: optionalText(s, 'source', sPath),
      org: readOrg(s, 'Organisation', sPath),
    };
  });
}

function readAttribute(a: Json, path: string, seed: string, uuids: UuidMap): AttributeModel {
  const type = requiredText(a, 'type', path);
  const value = optionalText(a, 'value', path);
  if (value === undefined) throw new InputError(`${path}.value is required`, { field: `${path}.value` });
  const raw = optionalText(a, 'uuid', path);
  const ids = stixUuid(raw, seed);
  if (raw !== undefined && !uuids.has(raw)) uuids.set(raw, ids.uuid);
  const tags = tagNames(a, path);
  return {
    ...ids,
    type,
    category: optionalText(a, 'category', path),
    value,
    toIds: flag(a, 'to_ids', path, false),
    comment: optionalText(a, 'comment', path) ?? '',
    timestamp: readMispTime(a.timestamp),
    firstSeen: readMispTime(a.first_seen),
    lastSeen: readMispTime(a.last_seen),
    objectRelation: optionalText(a, 'object_relation', path),
    tags,
    clusters: clustersWithTags(readGalaxies(a, path), tags),
    sightings: readSightings(a, path, ids.uuid),
  };
}

function readReference(r: Json, path: string, seed: string, sourceRaw: string): ReferenceModel {
  const ids = stixUuid(optionalText(r, 'uuid', path), seed);
  return {
    ...ids,
    sourceRaw: optionalText(r, 'object_uuid', path) ?? sourceRaw,
    targetRaw: requiredText(r, 'referenced_uuid', path),
    relationshipType: requiredText(r, 'relationship_type', path),
    comment: optionalText(r, 'comment', path) ?? '',
  };
}

function readObject(o: Json, path: string, seed: string, uuids: UuidMap): ObjectModel {
  const name = requiredText(o, 'name', path);
  const raw = optionalText(o, 'uuid', path);
  const ids = stixUuid(raw, seed);
  if (raw !== undefined && !uuids.has(raw)) uuids.set(raw, ids.uuid);
  const attributes = listOf(o, 'Attribute', path).map((a, i) => readAttribute(a, `${path}.Attribute[${i}]`, `${ids.uuid}|attribute|${i}`, uuids));
  return {
    ...ids,
    name,
    metaCategory: optionalText(o, 'meta-category', path),
    templateUuid: optionalText(o, 'template_uuid', path),
    templateVersion: optionalText(o, 'template_version', path),
    description: optionalText(o, 'description', path),
    comment: optionalText(o, 'comment', path) ?? '',
    timestamp: readMispTime(o.timestamp),
    firstSeen: readMispTime(o.first_seen),
    lastSeen: readMispTime(o.last_seen),
    tags: tagNames(o, path),
    attributes,
    references: listOf(o, 'ObjectReference', path).map((r, i) => readReference(r, `${path}.ObjectReference[${i}]`, `${ids.uuid}|reference|${i}`, raw ?? ids.uuid)),
  };
}

/**
 * Checks and normalises a MISP event (wrapped `{Event: …}` or bare) for export.
 * Throws InputError naming the offending field; nothing is exported then.
 */
export function readEvent(input: unknown, now: () => Date): EventModel {
  if (!isJsonObject(input)) throw new InputError(`A MISP event must be a JSON object, got ${describe(input)}`);
  const wrapped = input.Event;
  if (wrapped !== undefined && !isJsonObject(wrapped)) throw new InputError(`Event must be an object, got ${describe(wrapped)}`, { field: 'Event' });
  const event = wrapped ?? input;
  const path = wrapped === undefined ? 'event' : 'Event';
  const rawUuid = optionalText(event, 'uuid', path);
  // Without a usable uuid the content itself seeds the id, so the same event still gets the same id.
  const ids = stixUuid(rawUuid, () => `event|${JSON.stringify(event)}`);
  const uuids: UuidMap = new Map();
  const date = optionalText(event, 'date', path);
  const tags = tagNames(event, path);
  const attributes = listOf(event, 'Attribute', path).map((a, i) => readAttribute(a, `${path}.Attribute[${i}]`, `${ids.uuid}|attribute|${i}`, uuids));
  const objects = listOf(event, 'Object', path).map((o, i) => readObject(o, `${path}.Object[${i}]`, `${ids.uuid}|object|${i}`, uuids));
  const published = flag(event, 'published', path, false);
  return {
    ...ids,
    info: optionalText(event, 'info', path) ?? '',
    date,
    timestamp: readMispTime(event.timestamp) ?? readMispDate(date) ?? now(),
    publishTimestamp: readMispTime(event.publish_timestamp),
    published,
    distribution: optionalText(event, 'distribution', path),
    threatLevelId: optionalText(event, 'threat_level_id', path),
    analysis: optionalText(event, 'analysis', path),
    orgc: readOrg(event, 'Orgc', path),
    tags,
    clusters: clustersWithTags(readGalaxies(event, path), tags),
    attributes,
    objects,
    reports: readEventReports(event, path, ids.uuid),
    uuidByRaw: uuids,
  };
}
