import { InputError } from '@waggle/errors';
import { isUuid } from '../shared/feed-files.js';
import { wholeNumber, type FeedTag, type ManifestEntry } from '../shared/feed-manifest.js';

type Json = Record<string, unknown>;

/** Options of the MISP feed shape. */
export interface FeedShapeOptions {
  /**
   * Distribution levels to export (MISP's `valid_attribute_distribution_levels`);
   * events, attributes, objects and reports with another distribution are left
   * out. Default: all.
   */
  readonly validDistributions?: readonly number[];
  /** Export local tags too (PyMISP's default). Default false: local tags are by definition not shared. */
  readonly includeLocalTags?: boolean;
}

/** An event in feed shape, with what the manifest and hashes.csv need. */
export interface FeedEventParts {
  readonly uuid: string;
  /** `{ "Event": {...} }` without local ids, ready for `<uuid>.json`. */
  readonly feedEvent: { readonly Event: Json };
  readonly manifestEntry: ManifestEntry;
  /** (type, value) of every exported, non-deleted attribute, event and object level. */
  readonly values: readonly (readonly [string, string])[];
}

const EVENT_FIELDS = ['uuid', 'info', 'threat_level_id', 'analysis', 'date', 'timestamp', 'publish_timestamp', 'published', 'extends_uuid'];
const ATTRIBUTE_FIELDS = ['uuid', 'type', 'category', 'value', 'to_ids', 'comment', 'timestamp', 'object_relation', 'deleted', 'disable_correlation', 'first_seen', 'last_seen', 'data'];
const OBJECT_FIELDS = ['uuid', 'name', 'meta-category', 'description', 'template_uuid', 'template_version', 'timestamp', 'comment', 'deleted', 'first_seen', 'last_seen'];
const REFERENCE_FIELDS = ['uuid', 'timestamp', 'object_uuid', 'referenced_uuid', 'relationship_type', 'comment'];
const GALAXY_FIELDS = ['uuid', 'name', 'type', 'description', 'version', 'icon', 'namespace', 'kill_chain_order'];
const CLUSTER_FIELDS = ['uuid', 'type', 'value', 'tag_name', 'description', 'source', 'authors', 'version', 'meta'];
const REPORT_FIELDS = ['uuid', 'name', 'content', 'timestamp', 'deleted'];
const NUMERIC = new Set(['threat_level_id', 'analysis', 'timestamp', 'publish_timestamp', 'template_version']);
const BOOLEAN = new Set(['published', 'to_ids', 'deleted', 'disable_correlation']);

/**
 * Turns a MISP event (`{Event: {...}}` or the bare event, as the REST API
 * returns it) into the feed shape of PyMISP's `to_feed`: a whitelist of fields
 * per level (no local ids, no Org, no SharingGroup, no sightings), Orgc as
 * name+uuid, exportable tags only, numbers and booleans normalised. Returns
 * undefined when the event's distribution is not exported; throws InputError
 * naming the bad field when the event lacks what a feed needs.
 */
export function toFeedEvent(input: unknown, options: FeedShapeOptions = {}): FeedEventParts | undefined {
  const source = asObject(isObject(input) && isObject(input['Event']) ? input['Event'] : input, 'Event');
  const uuid = source['uuid'];
  if (!isUuid(uuid)) throw new InputError('Event.uuid must be a UUID.', { field: 'Event.uuid' });
  const where = `Event ${uuid}`;
  if (typeof source['info'] !== 'string') throw fieldError(where, 'info', 'must be a string');
  if (typeof source['date'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(source['date'])) throw fieldError(where, 'date', 'must be YYYY-MM-DD');
  for (const field of ['timestamp', 'analysis', 'threat_level_id']) {
    if (wholeNumber(source[field]) === undefined) throw fieldError(where, field, 'must be a whole number');
  }
  const orgc = source['Orgc'];
  if (!isObject(orgc) || typeof orgc['name'] !== 'string' || !isUuid(orgc['uuid'])) throw fieldError(where, 'Orgc', 'must have a name and a uuid');
  if (!distributionAllowed(source, options)) return undefined;

  const values: [string, string][] = [];
  const event = pick(source, EVENT_FIELDS, where);
  event['uuid'] = uuid.toLowerCase();
  event['Orgc'] = { name: orgc['name'], uuid: orgc['uuid'].toLowerCase() };
  const tags = feedTags(source['Tag'], options, `${where} Tag`);
  event['Tag'] = tags;
  const attributes = list(source['Attribute'], `${where} Attribute`).filter((a) => distributionAllowed(a, options));
  event['Attribute'] = attributes.map((a, i) => feedAttribute(a, options, `${where} Attribute[${i}]`, values));
  const objects = list(source['Object'], `${where} Object`).filter((o) => distributionAllowed(o, options));
  if (objects.length > 0) event['Object'] = objects.map((o, i) => feedObject(o, options, `${where} Object[${i}]`, values));
  const galaxies = list(source['Galaxy'], `${where} Galaxy`);
  if (galaxies.length > 0) event['Galaxy'] = galaxies.map((g, i) => feedGalaxy(g, `${where} Galaxy[${i}]`));
  const reports = list(source['EventReport'], `${where} EventReport`).filter((r) => distributionAllowed(r, options));
  if (reports.length > 0) event['EventReport'] = reports.map((r, i) => pick(r, REPORT_FIELDS, `${where} EventReport[${i}]`));

  const manifestEntry: ManifestEntry = {
    Orgc: { name: orgc['name'], uuid: orgc['uuid'].toLowerCase() },
    Tag: tags,
    info: source['info'],
    date: source['date'],
    analysis: wholeNumber(source['analysis']) as number,
    threat_level_id: wholeNumber(source['threat_level_id']) as number,
    timestamp: wholeNumber(source['timestamp']) as number,
    ...(wholeNumber(source['publish_timestamp']) === undefined ? {} : { publish_timestamp: wholeNumber(source['publish_timestamp']) as number }),
  };
  return { uuid: uuid.toLowerCase(), feedEvent: { Event: event }, manifestEntry, values };
}

function feedAttribute(source: Json, options: FeedShapeOptions, where: string, values: [string, string][]): Json {
  if (typeof source['type'] !== 'string') throw fieldError(where, 'type', 'must be a string');
  if (typeof source['value'] !== 'string') throw fieldError(where, 'value', 'must be a string');
  if (!isUuid(source['uuid'])) throw fieldError(where, 'uuid', 'must be a UUID');
  const attribute = pick(source, ATTRIBUTE_FIELDS, where);
  attribute['comment'] ??= '';
  const tags = feedTags(source['Tag'], options, `${where} Tag`);
  if (tags.length > 0) attribute['Tag'] = tags;
  if (attribute['deleted'] !== true) values.push([source['type'], source['value']]);
  return attribute;
}

function feedObject(source: Json, options: FeedShapeOptions, where: string, values: [string, string][]): Json {
  if (typeof source['name'] !== 'string') throw fieldError(where, 'name', 'must be a string');
  if (!isUuid(source['uuid'])) throw fieldError(where, 'uuid', 'must be a UUID');
  const object = pick(source, OBJECT_FIELDS, where);
  const attributes = list(source['Attribute'], `${where} Attribute`).filter((a) => distributionAllowed(a, options));
  object['Attribute'] = attributes.map((a, i) => feedAttribute(a, options, `${where} Attribute[${i}]`, values));
  const references = list(source['ObjectReference'], `${where} ObjectReference`);
  if (references.length > 0) object['ObjectReference'] = references.map((r, i) => pick(r, REFERENCE_FIELDS, `${where} ObjectReference[${i}]`));
  return object;
}

function feedGalaxy(source: Json, where: string): Json {
  const galaxy = pick(source, GALAXY_FIELDS, where);
  galaxy['GalaxyCluster'] = list(source['GalaxyCluster'], `${where} GalaxyCluster`).map((c, i) => pick(c, CLUSTER_FIELDS, `${where} GalaxyCluster[${i}]`));
  return galaxy;
}

function feedTags(value: unknown, options: FeedShapeOptions, where: string): FeedTag[] {
  const tags: FeedTag[] = [];
  list(value, where).forEach((tag, i) => {
    if (typeof tag['name'] !== 'string') throw fieldError(`${where}[${i}]`, 'name', 'must be a string');
    if (isFalse(tag['exportable'])) return;
    const local = tag['local'] !== undefined && !isFalse(tag['local']);
    if (local && options.includeLocalTags !== true) return;
    const out: { name: string; colour?: string; local?: boolean } = { name: tag['name'] };
    if (typeof tag['colour'] === 'string') out.colour = tag['colour'];
    if (local) out.local = true;
    tags.push(out);
  });
  return tags;
}

// Copies the whitelisted fields, normalising MISP's "1"/"0" and numeric strings.
function pick(source: Json, fields: readonly string[], where: string): Json {
  const out: Json = {};
  for (const field of fields) {
    const value = source[field];
    if (value === undefined || value === null) continue;
    if (NUMERIC.has(field)) {
      const n = wholeNumber(value);
      if (n === undefined) throw fieldError(where, field, 'must be a whole number');
      out[field] = n;
    } else if (BOOLEAN.has(field)) {
      out[field] = !isFalse(value);
    } else {
      out[field] = value;
    }
  }
  return out;
}

function distributionAllowed(item: Json, options: FeedShapeOptions): boolean {
  if (options.validDistributions === undefined || item['distribution'] === undefined || item['distribution'] === null) return true;
  const level = wholeNumber(item['distribution']);
  return level !== undefined && options.validDistributions.includes(level);
}

function list(value: unknown, where: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${where} must be a list.`, { field: where });
  return value.map((item, i) => asObject(item, `${where}[${i}]`));
}

function asObject(value: unknown, where: string): Json {
  if (!isObject(value)) throw new InputError(`${where} must be an object.`, { field: where });
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFalse(value: unknown): boolean {
  return value === false || value === 0 || value === '0' || value === 'false';
}

function fieldError(where: string, field: string, problem: string): InputError {
  return new InputError(`${where}: ${field} ${problem}.`, { field });
}
